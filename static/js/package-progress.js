// The publication package page: ask the server how far the build is once a second until it ends.
(function () {
  var box = document.getElementById("package");
  var bar = document.getElementById("package-progress");
  var percent = document.getElementById("package-percent");
  var status = document.getElementById("package-status");
  var error = document.getElementById("package-error");
  var download = document.getElementById("package-download");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = percent.textContent = state.percent + "%";
    status.textContent = state.status_label;
    if (state.error) {
      error.textContent = state.error;
      error.hidden = false;
    }
    download.hidden = state.status !== "done";
    return state.status === "done" || state.status === "failed";
  }

  function poll() {
    fetch(box.dataset.progressUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (state) { if (!show(state)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { poll(); }
})();
