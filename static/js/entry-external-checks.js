// Flags of other apps' checks (evaluations.form_checks), redrawn while staff type: the page posts its
// indicator rows to each check's live URL and shows the flags the server answers at their rows. The
// server compares; this file only draws, so page and server cannot disagree. Once drawn, it tells the page
// (event "zpb:external-checks", with why the form may not be submitted yet) so its summary line counts them.
(function () {
  "use strict";
  const config = document.getElementById("external-checks");
  const form = document.querySelector("form[data-entry-form]");
  if (!config || !form) return;
  const { urls, codes } = JSON.parse(config.textContent);
  const body = form.querySelector("[data-indicator-rows]");
  const FIELDS = ["level1", "level2", "name", "target", "weight"];
  let timer = null;
  let asked = 0;

  function rowElements() {
    return Array.from(body.querySelectorAll("tr[data-indicator-row]"));
  }

  function rows() {
    return rowElements().map((tr) => {
      const row = {};
      for (const field of FIELDS) {
        const input = tr.querySelector(`[name$="-${field}"]`);
        row[field] = input ? input.value : "";
      }
      return row;
    });
  }

  function flagItem(flag) {
    const item = document.createElement("li");
    item.className = `flag flag-${flag.severity}`;
    item.dataset.code = flag.code;
    const title = document.createElement("strong");
    title.className = "flag-title";
    title.textContent = flag.title;
    item.append(title, ` ${flag.message}`);
    return item;
  }

  function listIn(cell) {
    let list = cell.querySelector("ul[data-external-flags]");
    if (!list) {
      list = document.createElement("ul");
      list.className = "flags";
      list.dataset.externalFlags = "";
      cell.append(list);
    }
    return list;
  }

  function draw(flags) {
    const selector = codes.map((code) => `li.flag[data-code="${code}"]`).join(",");
    if (selector) form.ownerDocument.querySelectorAll(selector).forEach((item) => item.remove());
    const trs = rowElements();
    const top = document.querySelector("ul[data-external-flags]");
    for (const flag of flags) {
      const tr = flag.indicator ? trs[flag.indicator - 1] : null;
      if (tr) listIn(tr.children[2]).append(flagItem(flag));
      else if (top) top.append(flagItem(flag));
    }
  }

  function check() {
    const mine = ++asked;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("rows", JSON.stringify(rows()));
    Promise.all(urls.map((url) => fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { flags: [] }))
      .catch(() => ({ flags: [] }))))
      .then((answers) => {
        if (mine !== asked) return;
        draw(answers.flatMap((answer) => answer.flags));
        const problems = answers.flatMap((answer) => answer.problems || []);
        form.dispatchEvent(new CustomEvent("zpb:external-checks", { detail: { problems } }));
      });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  function isRowField(element) {
    return FIELDS.some((field) => (element.name || "").endsWith(`-${field}`));
  }

  form.addEventListener("input", (event) => {
    if (isRowField(event.target)) soon();
  });
  // Selects (一级 / 二级) report their choice as a change; typed fields were asked about on input already.
  form.addEventListener("change", (event) => {
    if (event.target.tagName === "SELECT" && isRowField(event.target)) soon();
  });
  // Saving takes the page away: no question should still be on its way.
  form.addEventListener("submit", () => clearTimeout(timer));
  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=add], [data-action=remove], [data-action=up], [data-action=down]")) soon();
  });
})();
