/* The entry page: live arithmetic and flags at their cells as staff type, and indicator rows
 * that can be added, removed and reordered with buttons. entry-scoring.js does the arithmetic;
 * the server recomputes everything on save. */
(function () {
  "use strict";

  const form = document.querySelector("[data-entry-form]");
  if (!form) return;
  const S = window.zpbScoring;
  const rules = S.rulesFrom(JSON.parse(document.getElementById("entry-rules").textContent));
  const rowsBody = form.querySelector("[data-indicator-rows]");
  const template = document.getElementById("indicator-row-template");
  const totalForms = form.elements["indicators-TOTAL_FORMS"];
  const announcer = document.getElementById("entry-announcer");

  const FIELDS = ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"];
  const FUNDING_COLUMNS = [["budgetInitial", "budget_initial"], ["budgetFullYear", "budget_full_year"], ["executed", "executed"]];
  // The cell each indicator flag concerns (E_LEVELS and W_UNIT_MISSING depend on the values).
  const FLAG_CELLS = {
    E_SCORE_RANGE: "score", E_INDICATOR_SCORE: "score", E_QUALITATIVE_BAND: "score",
    E_UNSCORABLE: "actual", W_OVERACHIEVED: "actual", W_UNIT_MISMATCH: "actual",
    W_DEDUCTION_UNEXPLAINED: "deviation", I_SATISFACTION_UNSUPPORTED: "actual",
  };
  const ROW_PREFIX = /^(?:第\d*行 )?/;
  const FORM_INDEX = /indicators-(?:\d+|__prefix__)-/g;

  const rows = () => [...rowsBody.querySelectorAll("[data-indicator-row]")];
  const cellInput = (row, name) => row.querySelector(`[name$="-${name}"]`);
  const isBlank = (row) => FIELDS.every((name) => cellInput(row, name).value.trim() === "");
  const output = (scope, name) => scope.querySelector(`[data-out="${name}"]`);
  const show = (element, value) => { element.textContent = value === null ? "—" : S.format(value); };

  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = message; }, 50);
  }

  // --- Reading the cells -----------------------------------------------------

  // A number cell: its value (null when blank or refused), with the reason shown when refused.
  function readAmount(input) {
    const { value, error } = S.parseAmount(input.value);
    input.parentElement.querySelector(".cell-check").textContent = error || "";
    input.classList.toggle("invalid", Boolean(error));
    return value;
  }

  const orZero = (value) => (value === null ? S.ZERO : value);

  function readFunding() {
    const weight = readAmount(form.elements.funding_weight);
    const lines = rules.funding_kinds.map((kind, index) => {
      const line = { kind, weight: null, complete: true };
      for (const [attr, name] of FUNDING_COLUMNS) {
        const value = readAmount(form.elements[`funding-${index}-${name}`]);
        line.complete = line.complete && value !== null;
        line[attr] = orZero(value);
      }
      return line;
    });
    lines[0].weight = weight; // the total line, first of FUNDING_KINDS
    return lines;
  }

  function readIndicator(row) {
    const text = (name) => S.strip(cellInput(row, name).value); // as Django's CharField cleans it
    return {
      level1: text("level1"), level2: text("level2"), name: text("name"), target: text("target"),
      actual: text("actual"), deviation: text("deviation"),
      weight: orZero(readAmount(cellInput(row, "weight"))),
      score: orZero(readAmount(cellInput(row, "score"))),
    };
  }

  // Fill an empty score with the suggested one, and keep following the suggestion until the
  // user types a score of their own. A score being emptied by hand is filled once left empty.
  function autoFill(row, suggested) {
    const score = cellInput(row, "score");
    if (suggested === null) return;
    const text = S.format(suggested);
    const empty = score.value.trim() === "" && document.activeElement !== score;
    if (empty || score.value === row.dataset.autoScore) {
      score.value = text;
      row.dataset.autoScore = text;
    }
  }

  function suggestionFor(row) {
    const weight = S.parseAmount(cellInput(row, "weight").value).value;
    if (weight === null) return null;
    return S.suggestedScore({ target: cellInput(row, "target").value, actual: cellInput(row, "actual").value, weight }, rules);
  }

  // --- Showing results ---------------------------------------------------------

  function flagItem(flag) {
    const item = document.createElement("li");
    item.className = `flag flag-${flag.severity}`;
    item.dataset.code = flag.code;
    if (flag.indicator !== null) item.dataset.indicator = flag.indicator;
    const code = document.createElement("span");
    code.className = "code";
    code.textContent = flag.code;
    const text = document.createElement("span");
    text.className = "flag-text";
    text.textContent = flag.message;
    item.append(code, " ", text);
    return item;
  }

  function flagCell(flag, indicator) {
    if (flag.code === "E_LEVELS") return indicator.level1 in rules.levels ? "level2" : "level1";
    if (flag.code === "W_UNIT_MISSING") {
      const target = S.parseTarget(indicator.target);
      return target.unit === null ? "target" : "actual";
    }
    return FLAG_CELLS[flag.code];
  }

  function placeFlags(flags, filled) {
    form.querySelectorAll("[data-flags-for]").forEach((list) => list.replaceChildren());
    form.querySelectorAll(".has-error, .has-warning, .has-info").forEach((cell) => {
      cell.classList.remove("has-error", "has-warning", "has-info");
    });
    for (const flag of flags) {
      let list;
      if (flag.place === "indicator") {
        const { row, indicator } = filled[flag.indicator - 1];
        list = row.querySelector(`[data-flags-for="${flagCell(flag, indicator)}"]`);
      } else if (flag.code === "E_WEIGHTS") {
        list = form.querySelector('[data-flags-for="weights"]');
      } else {
        list = form.querySelector(`[data-flags-for="${flag.place}"]`);
      }
      list.append(flagItem(flag));
      list.closest("td").classList.add(`has-${flag.severity}`);
    }
  }

  function showSummary(flags) {
    const count = (severity) => flags.filter((flag) => flag.severity === severity).length;
    const unexplained = flags.some((flag) => flag.code === "W_DEDUCTION_UNEXPLAINED");
    const ready = count("error") === 0 && !unexplained;
    const summary = output(form, "summary");
    summary.textContent = `错误 ${count("error")} · 警告 ${count("warning")} · 提示 ${count("info")}` +
      (ready ? "。可以提交。" : "。提交前请改正错误并说明扣分原因。");
    summary.classList.toggle("ready", ready);
  }

  function recompute() {
    const funding = readFunding();
    funding.forEach((line) => {
      const row = form.querySelector(`[data-funding-kind="${line.kind}"]`);
      show(output(row, "rate"), line.complete ? S.executionRate(line.executed, line.budgetFullYear, rules) : null);
    });

    const filled = [];
    for (const row of rows()) {
      const suggested = suggestionFor(row);
      autoFill(row, suggested);
      const indicator = readIndicator(row);
      const suggestion = row.querySelector("[data-suggestion]");
      suggestion.hidden = suggested === null;
      if (suggested !== null) {
        show(output(suggestion, "suggested"), suggested);
        suggestion.querySelector("[data-action=use-suggested]").hidden = S.cmp(indicator.score, suggested) === 0
          && cellInput(row, "score").value.trim() !== "";
      }
      if (!isBlank(row)) filled.push({ row, indicator });
    }

    const figures = { funding, indicators: filled.map(({ indicator }) => indicator) };
    const computed = S.compute(figures, rules);
    show(output(form, "funding-score"), funding[0].complete ? computed.fundingScore : null);
    show(output(form, "weight-total"), computed.weightTotal);
    show(output(form, "total"), computed.total);
    output(form, "grade").textContent = computed.grade;

    const flags = S.flagsFor(figures, rules, rules.evidenced || [], rules.tuning || {});
    placeFlags(flags, filled);
    showSummary(flags);
  }

  // --- Rows ----------------------------------------------------------------------

  // Screen readers read a cell's server error, its number check and its flags with it.
  function describe(input) {
    const ids = ["error", "check", "flags"].map((part) => `${input.id}_${part}`);
    input.setAttribute("aria-describedby", ids.filter((id) => document.getElementById(id)).join(" "));
  }

  // Give every row its formset index and its "第N行" labels, in page order.
  function renumber() {
    rows().forEach((row, index) => {
      row.querySelectorAll("[name], [id], [for], [aria-describedby], [aria-label]").forEach((element) => {
        for (const attribute of ["name", "id", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(FORM_INDEX, `indicators-${index}-`));
        }
        const label = element.getAttribute("aria-label");
        if (label) element.setAttribute("aria-label", label.replace(ROW_PREFIX, `第${index + 1}行 `));
      });
      FIELDS.forEach((name) => describe(cellInput(row, name)));
      row.querySelector("[data-row-number]").textContent = index + 1;
      row.querySelector("[data-action=up]").setAttribute("aria-disabled", String(index === 0));
      row.querySelector("[data-action=down]").setAttribute("aria-disabled", String(index === rows().length - 1));
    });
    totalForms.value = rows().length;
  }

  // 二级 options follow the chosen 一级.
  function filterLevel2(row) {
    const level1 = cellInput(row, "level1").value;
    const select = cellInput(row, "level2");
    const current = select.value;
    const allowed = rules.levels[level1] || [];
    select.replaceChildren(new Option(level1 ? "请选择" : "请先选一级", ""), ...allowed.map((level2) => new Option(level2, level2)));
    select.value = allowed.includes(current) ? current : "";
  }

  function addRow() {
    rowsBody.append(template.content.cloneNode(true));
    const row = rows().at(-1);
    renumber();
    filterLevel2(row);
    recompute();
    cellInput(row, "level1").focus();
    announce(`已添加第 ${rows().length} 行。`);
  }

  function removeRow(row) {
    const all = rows();
    const index = all.indexOf(row);
    row.remove();
    renumber();
    recompute();
    const next = rows()[Math.min(index, rows().length - 1)];
    (next ? cellInput(next, "level1") : form.querySelector("[data-action=add]")).focus();
    announce(`已删除第 ${index + 1} 行。`);
  }

  function moveRow(row, button, step) {
    const all = rows();
    const index = all.indexOf(row);
    const to = index + step;
    if (to < 0 || to >= all.length) return;
    if (step < 0) rowsBody.insertBefore(row, all[to]);
    else rowsBody.insertBefore(row, all[to].nextSibling);
    renumber();
    recompute();
    button.focus(); // moving the row took the focus away
    announce(`第 ${index + 1} 行已移到第 ${to + 1} 行。`);
  }

  function useSuggested(row) {
    const score = cellInput(row, "score");
    score.value = S.format(suggestionFor(row));
    row.dataset.autoScore = score.value;
    recompute();
    score.focus();
  }

  // --- The target helper: operator + number + unit → "≥90(%)" ---------------

  function fillHelper(helper, row) {
    const target = S.parseTarget(cellInput(row, "target").value);
    if (!target) return;
    helper.querySelector("[data-helper=operator]").value = target.operator;
    helper.querySelector("[data-helper=number]").value = target.number;
    helper.querySelector("[data-helper=unit]").value = target.unit || "";
  }

  function composeTarget(helper, row) {
    const operator = helper.querySelector("[data-helper=operator]").value;
    const number = helper.querySelector("[data-helper=number]").value.trim();
    const unit = helper.querySelector("[data-helper=unit]").value.trim();
    const check = helper.querySelector(".cell-check");
    const text = `${operator}${number}(${unit})`;
    const parsed = S.parseTarget(text);
    if (!parsed || !number) {
      check.textContent = "请填写数值。";
      return;
    }
    if (parsed.unit === null) {
      check.textContent = "请填写计量单位。";
      return;
    }
    check.textContent = "";
    const target = cellInput(row, "target");
    target.value = text;
    helper.open = false;
    clearServerError(target);
    recompute();
    target.focus();
  }

  // --- Events --------------------------------------------------------------------

  // A server message about a field no longer applies once the field changes.
  function clearServerError(input) {
    const errors = document.getElementById(`${input.id}_error`);
    if (errors) errors.remove();
    input.removeAttribute("aria-invalid");
  }

  form.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.name) return;
    clearServerError(input);
    if (input.name.endsWith("-score")) {
      const row = input.closest("[data-indicator-row]");
      if (input.value !== row.dataset.autoScore) delete row.dataset.autoScore;
    }
    recompute();
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name && input.name.endsWith("-level1")) filterLevel2(input.closest("[data-indicator-row]"));
    if (input.name) recompute();
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const row = button.closest("[data-indicator-row]");
    const helper = button.closest(".target-helper");
    switch (button.dataset.action) {
      case "add": addRow(); break;
      case "remove": removeRow(row); break;
      case "up": moveRow(row, button, -1); break;
      case "down": moveRow(row, button, 1); break;
      case "use-suggested": useSuggested(row); break;
      case "compose-target": composeTarget(helper, row); break;
      case "print": window.print(); break;
    }
  });

  form.addEventListener("toggle", (event) => {
    const helper = event.target;
    if (helper.classList && helper.classList.contains("target-helper") && helper.open) {
      fillHelper(helper, helper.closest("[data-indicator-row]"));
      helper.querySelector("[data-helper=operator]").focus();
    }
  }, true);

  form.addEventListener("keydown", (event) => {
    const helper = event.target.closest(".target-helper");
    if (event.key === "Escape" && helper && helper.open) {
      helper.open = false;
      helper.querySelector("summary").focus();
    } else if (event.key === "Enter" && helper && event.target.dataset.helper) {
      event.preventDefault(); // Enter in the helper fills the target, it does not save the page
      composeTarget(helper, event.target.closest("[data-indicator-row]"));
    } else if (event.key === "Enter" && event.target.hasAttribute("data-single-line")) {
      event.preventDefault(); // a notation has no line breaks
    }
  });

  form.querySelectorAll("[data-funding-kind] input, #id_funding_weight").forEach(describe);
  rows().forEach(filterLevel2);
  renumber();
  recompute();
})();
