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
    const { value, error } = S.parseAmount(input.value, maxDigits(input));
    input.parentElement.querySelector(".cell-check").textContent = error || "";
    input.classList.toggle("invalid", Boolean(error));
    return value;
  }

  const maxDigits = (input) => (input.dataset.maxDigits ? Number(input.dataset.maxDigits) : null);
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
    const weight = S.parseAmount(cellInput(row, "weight").value, maxDigits(cellInput(row, "weight"))).value;
    if (weight === null) return null;
    return S.suggestedScore({ target: cellInput(row, "target").value, actual: cellInput(row, "actual").value, weight }, rules);
  }

  // --- Showing results ---------------------------------------------------------

  // The rule before the error: a qualitative row shows the points its completion level allows.
  const BAND_NAMES = { achieved: "达成", partial: "部分达成", not_achieved: "未达成" };
  function showBands(row, indicator) {
    const hint = row.querySelector("[data-band-hint]");
    const weightText = cellInput(row, "weight").value.trim();
    const qualitative = indicator.target !== "" && S.parseTarget(indicator.target, rules) === null;
    hint.hidden = !qualitative || weightText === "";
    if (hint.hidden) return;
    const level = S.completionLevel(indicator.actual);
    const band = (name) => {
      const [low, high, inclusive] = rules.bands[name];
      const points = (share) => S.format(S.mul(share, indicator.weight));
      return `${BAND_NAMES[name]} ${points(low)}–${points(high)}${inclusive ? "" : "（不含）"}`;
    };
    hint.textContent = level ? `应得 ${band(level)} 分` : `得分区间：${Object.keys(BAND_NAMES).map(band).join("；")}`;
  }

  function flagItem(flag, indicator) {
    const item = document.createElement("li");
    item.className = `flag flag-${flag.severity}`;
    item.dataset.code = flag.code;
    if (flag.indicator !== null) item.dataset.indicator = flag.indicator;
    const title = document.createElement("strong");
    title.className = "flag-title"; // staff read words, not the code (data-code is for tests and styles)
    title.textContent = rules.flag_titles[flag.code] || "";
    const text = document.createElement("span");
    text.className = "flag-text";
    text.textContent = flag.message;
    item.append(title, " ", text);
    const fix = indicator && unitFixFor(flag, indicator);
    if (fix) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "small no-print";
      button.dataset.action = "fix-unit";
      button.dataset.fix = fix;
      button.textContent = `改为“${fix}”`;
      button.setAttribute("aria-label", `第${flag.indicator}行 完成值改为“${fix}”`);
      item.append(" ", button);
    }
    return item;
  }

  // An actual without the target's unit can take it in one click: "2" → "2(场)".
  function unitFixFor(flag, indicator) {
    if (flag.code !== "W_UNIT_MISSING" || flagCell(flag, indicator) !== "actual") return null;
    return S.unitFix(indicator.actual, S.parseTarget(indicator.target, rules).unit, rules);
  }

  function flagCell(flag, indicator) {
    if (flag.code === "E_LEVELS") return indicator.level1 in rules.levels ? "level2" : "level1";
    if (flag.code === "W_UNIT_MISSING") {
      const target = S.parseTarget(indicator.target, rules);
      return target.unit === null ? "target" : "actual";
    }
    return FLAG_CELLS[flag.code];
  }

  // Each list is redrawn only when what it shows changes, so a button in it (the unit fix) stays
  // where the pointer or the keyboard is going when leaving a cell recomputes the page.
  function placeFlags(flags, filled) {
    const lists = new Map([...form.querySelectorAll("[data-flags-for]")].map((list) => [list, []]));
    for (const flag of flags) {
      let list;
      let indicator = null;
      if (flag.place === "indicator") {
        const entry = filled[flag.indicator - 1];
        indicator = entry.indicator;
        list = entry.row.querySelector(`[data-flags-for="${flagCell(flag, indicator)}"]`);
      } else if (flag.code === "E_WEIGHTS") {
        list = form.querySelector('[data-flags-for="weights"]');
      } else {
        list = form.querySelector(`[data-flags-for="${flag.place}"]`);
      }
      lists.get(list).push(flagItem(flag, indicator));
    }
    for (const [list, items] of lists) {
      const shown = items.map((item) => item.outerHTML).join("");
      if (list.dataset.shown !== shown) {
        list.replaceChildren(...items);
        list.dataset.shown = shown;
      }
      const cell = list.closest("td");
      for (const severity of ["error", "warning", "info"]) {
        cell.classList.toggle(`has-${severity}`, items.some((item) => item.classList.contains(`flag-${severity}`)));
      }
    }
  }

  // Flags of other apps' checks (approved targets, last year's form) as entry-external-checks.js last drew
  // them, and why they keep the form from being submitted: counted with the page's own.
  const external = JSON.parse(document.getElementById("external-checks")?.textContent || '{"codes": [], "problems": []}');
  const externalFlags = () => (external.codes.length
    ? [...document.querySelectorAll(external.codes.map((code) => `li.flag[data-code="${code}"]`).join(","))]
      .map((item) => ({ severity: ["error", "warning", "info"].find((s) => item.classList.contains(`flag-${s}`)) }))
    : []);

  function showSummary(pageFlags, missing) {
    const flags = pageFlags.concat(externalFlags());
    const count = (severity) => flags.filter((flag) => flag.severity === severity).length;
    const unexplained = flags.some((flag) => flag.code === "W_DEDUCTION_UNEXPLAINED");
    const ready = missing.length === 0 && count("error") === 0 && !unexplained && external.problems.length === 0;
    const summary = output(form, "summary");
    const checks = `错误 ${count("error")} · 警告 ${count("warning")} · 提示 ${count("info")}`;
    if (missing.length) {
      summary.textContent = `尚未填写：${missing.join("；")}。草稿随时可以保存，填完后再提交。` +
        (flags.length ? `已填部分：${checks}。` : "");
    } else if (ready) {
      summary.textContent = `${checks}。可以提交。`;
    } else {
      summary.textContent = `${checks}。提交前请改正错误并说明扣分原因。${external.problems.join("")}`;
    }
    summary.classList.toggle("ready", ready);
  }

  form.addEventListener("zpb:external-checks", (event) => {
    external.problems = event.detail.problems;
    recompute();
  });

  // The labels of the cells of a row the rules need that are still empty (Indicator.blank_cells()).
  const REQUIRED_CELLS = [["level1", "一级指标"], ["level2", "二级指标"], ["name", "三级指标"], ["target", "年度指标值"],
    ["actual", "实际完成值"], ["weight", "分值"], ["score", "得分"]];
  const blankCells = (row) => REQUIRED_CELLS.filter(([name]) => S.strip(cellInput(row, name).value) === "")
    .map(([, label]) => label);

  // What is not filled in yet, in words, as Evaluation.missing() says it once saved.
  function missingParts(funding, filled) {
    const missing = [];
    if (funding.some((line) => !line.complete)) missing.push("项目资金");
    if (!filled.length) missing.push("绩效指标");
    filled.forEach(({ blank }, index) => {
      if (blank.length) missing.push(`第 ${index + 1} 行指标的${blank.join("、")}`);
    });
    return missing;
  }

  // An empty cell is missing, not wrong: no flags on what is not filled in (as Evaluation.flags()).
  function flagsOnFilled(flags, funding, filled) {
    const nothingTyped = !filled.length && funding.every((line) =>
      FUNDING_COLUMNS.every(([attr]) => S.cmp(line[attr], S.ZERO) === 0));
    if (nothingTyped) return [];
    const fundingUnfinished = funding.some((line) => !line.complete);
    return flags.filter((flag) => !(flag.indicator !== null && filled[flag.indicator - 1].blank.length)
      && !(fundingUnfinished && flag.place === "funding"));
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
      showBands(row, indicator);
      if (!isBlank(row)) filled.push({ row, indicator, blank: blankCells(row) });
    }

    const figures = { funding, indicators: filled.map(({ indicator }) => indicator) };
    const computed = S.compute(figures, rules);
    const missing = missingParts(funding, filled);
    show(output(form, "funding-score"), funding[0].complete ? computed.fundingScore : null);
    show(output(form, "weight-total"), computed.weightTotal);
    // An unfinished form has no total or grade yet: it is not a failing form.
    show(output(form, "total"), missing.length ? null : computed.total);
    output(form, "grade").textContent = missing.length ? "尚未填写完整" : computed.grade;

    const flags = flagsOnFilled(S.flagsFor(figures, rules, rules.evidenced || [], rules.tuning || {}), funding, filled);
    placeFlags(flags, filled);
    showSummary(flags, missing);
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

  function fixUnit(row, fixed) {
    const actual = cellInput(row, "actual");
    actual.value = fixed;
    clearServerError(actual);
    recompute();
    actual.focus();
    announce(`完成值已改为“${fixed}”。`);
  }

  // --- The target helper: operator + number + unit → "≥90(%)" ---------------

  function fillHelper(helper, row) {
    const target = S.parseTarget(cellInput(row, "target").value, rules);
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
    const parsed = S.parseTarget(text, rules);
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
    unsaved = true;
    switch (button.dataset.action) {
      case "add": addRow(); break;
      case "remove": removeRow(row); break;
      case "up": moveRow(row, button, -1); break;
      case "down": moveRow(row, button, 1); break;
      case "use-suggested": useSuggested(row); break;
      case "compose-target": composeTarget(helper, row); break;
      case "fix-unit": fixUnit(row, button.dataset.fix); break;
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
    } else if (event.key === "Enter" && event.target.matches("input")) {
      // Enter in a cell would submit the form unseen; saving is the buttons' job.
      event.preventDefault();
      announce("按 Enter 不会保存；请用“保存草稿”按钮保存。");
    }
  });

  // Leaving the page with unsaved edits asks first; saving or submitting does not.
  // A page drawn again after a refused save holds input not saved yet.
  let unsaved = form.hasAttribute("data-unsaved");
  let edits = 0; // counts edits, so one made while an autosave is on its way stays unsaved
  const edited = () => { unsaved = true; edits += 1; scheduleAutosave(); };
  form.addEventListener("input", edited);
  form.addEventListener("change", edited);
  form.addEventListener("submit", () => { unsaved = false; window.clearTimeout(autosaveTimer); });

  // Autosave: a draft is saved by itself some seconds after the last edit, unless a cell holds what
  // cannot be stored (the user fixes it first) or the page went stale (the user decides, see 保存草稿).
  const autosaveSeconds = Number(form.dataset.autosaveSeconds);
  let autosaveTimer = null;
  let autosaveStopped = !autosaveSeconds;
  function scheduleAutosave() {
    if (autosaveStopped) return;
    window.clearTimeout(autosaveTimer);
    autosaveTimer = window.setTimeout(autosave, autosaveSeconds * 1000);
  }
  async function autosave() {
    const status = output(form, "autosave");
    if (!unsaved || form.querySelector(".invalid")) return;
    const sent = edits;
    const data = new FormData(form);
    data.set("action", "save");
    let result;
    try {
      const response = await fetch(form.dataset.autosaveUrl, { method: "POST", body: data, credentials: "same-origin" });
      result = await response.json();
    } catch (error) {
      status.textContent = "网络中断，暂未自动保存；请稍后用“保存草稿”保存。";
      return;
    }
    status.textContent = result.message;
    if (result.saved) {
      form.elements.version.value = result.version;
      document.querySelector('[data-out="version"]').textContent = result.version;
      unsaved = edits !== sent;
    } else if (result.stop) {
      autosaveStopped = true;
    }
  }
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to show their own question
  });

  form.querySelectorAll("[data-funding-kind] input, #id_funding_weight").forEach(describe);
  rows().forEach(filterLevel2);
  renumber();
  recompute();
})();
