// The review queue: the header checkbox selects or clears every row of the page.
document.getElementById("select-all").addEventListener("change", function (event) {
  document.querySelectorAll('#queue-selection input[name="evaluation"]').forEach(function (box) {
    box.checked = event.target.checked;
  });
});
