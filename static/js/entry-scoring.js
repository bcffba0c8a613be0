/* The official arithmetic of evaluations/scoring.py, in the browser.
 *
 * Same rules, same messages, same results: every number is a fraction of BigInts (never a
 * float), each operation rounded like Python's Decimal, and cut to hundredths with the
 * deployment's rounding mode. The server
 * recomputes on save and stays the only truth; this file only lets staff see it as they type.
 * tests/test_page_and_server_agree*.py compares both on the same figures.
 */
(function (global) {
  "use strict";

  // --- Decimal numbers as fractions -------------------------------------------

  function gcd(a, b) {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  }

  function fraction(n, d = 1n) {
    if (d === 0n) throw new RangeError("division by zero");
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  }

  const ZERO = fraction(0n);
  const ONE = fraction(1n);
  const HUNDRED = fraction(100n);
  const pow10 = (k) => 10n ** BigInt(k);

  // Python's default decimal context: every +, -, ×, ÷ is rounded half-even to 28 significant
  // digits. It matters: Decimal(4) / 12 * Decimal("16.71") is 5.5699…9, which truncates to 5.56
  // where the exact 5.57 would not. So each operation below rounds exactly like Decimal does.
  const PRECISION = 28;

  function inContext(value) {
    if (value.n === 0n) return value;
    const magnitude = value.n < 0n ? -value.n : value.n;
    // The adjusted exponent e, with 10^e <= |value| < 10^(e+1).
    let exponent = magnitude.toString().length - value.d.toString().length;
    const atLeast = (e) => (e >= 0 ? magnitude >= value.d * pow10(e) : magnitude * pow10(-e) >= value.d);
    if (!atLeast(exponent)) exponent -= 1;
    const shift = PRECISION - 1 - exponent;
    const numerator = shift >= 0 ? magnitude * pow10(shift) : magnitude;
    const denominator = shift >= 0 ? value.d : value.d * pow10(-shift);
    let digits = numerator / denominator;
    const twice = (numerator % denominator) * 2n;
    if (twice > denominator || (twice === denominator && digits % 2n === 1n)) digits += 1n;
    const signed = value.n < 0n ? -digits : digits;
    return shift >= 0 ? fraction(signed, pow10(shift)) : fraction(signed * pow10(-shift));
  }

  const add = (a, b) => inContext(fraction(a.n * b.d + b.n * a.d, a.d * b.d));
  const sub = (a, b) => inContext(fraction(a.n * b.d - b.n * a.d, a.d * b.d));
  const mul = (a, b) => inContext(fraction(a.n * b.n, a.d * b.d));
  const div = (a, b) => inContext(fraction(a.n * b.d, a.d * b.n));
  const cmp = (a, b) => {
    const diff = a.n * b.d - b.n * a.d;
    return diff > 0n ? 1 : diff < 0n ? -1 : 0;
  };
  const isZero = (a) => a.n === 0n;
  const abs = (a) => fraction(a.n < 0n ? -a.n : a.n, a.d);
  const max = (a, b) => (cmp(a, b) >= 0 ? a : b);
  const min = (a, b) => (cmp(a, b) <= 0 ? a : b);
  const sum = (values) => values.reduce(add, ZERO);

  // Hundredths of `value`, rounded like Decimal.quantize(Decimal("0.01"), rounding=mode).
  function toCents(value, mode) {
    const scaled = value.n * 100n;
    const quotient = scaled / value.d; // BigInt division truncates toward zero
    const remainder = scaled % value.d;
    if (remainder === 0n) return quotient;
    const sign = scaled < 0n ? -1n : 1n;
    const twice = (remainder < 0n ? -remainder : remainder) * 2n;
    switch (mode) {
      case "truncate":
        return quotient;
      case "ceiling":
        return sign > 0n ? quotient + 1n : quotient;
      case "half_up":
        return twice >= value.d ? quotient + sign : quotient;
      case "half_even": // Decimal's default context, used by _fmt()
        if (twice > value.d || (twice === value.d && quotient % 2n !== 0n)) return quotient + sign;
        return quotient;
      default:
        throw new Error("unknown rounding mode " + mode);
    }
  }

  // rules.cut(): the value cut to two places with the deployment's rounding mode.
  const cut = (value, rules) => fraction(toCents(value, rules.rounding), 100n);

  // _fmt(): "98.67", "-0.50".
  function format(value) {
    const cents = toCents(value, "half_even");
    const sign = cents < 0n ? "-" : "";
    const digits = (cents < 0n ? -cents : cents).toString().padStart(3, "0");
    return sign + digits.slice(0, -2) + "." + digits.slice(-2);
  }

  // --- Text as Python reads it ------------------------------------------------

  // Python's str.isspace() / re's \s, which are wider than JavaScript's.
  const WS = "[\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\p{Zs}\\u2028\\u2029]";
  const LEADING_WS = new RegExp("^" + WS + "+", "u");
  const TRAILING_WS = new RegExp(WS + "+$", "u");
  const ALL_WS = new RegExp(WS + "+", "gu");
  const strip = (text) => text.replace(LEADING_WS, "").replace(TRAILING_WS, "");

  // Python's \d and Decimal() accept every Unicode decimal digit (e.g. full-width ５).
  const DIGIT = /\p{Nd}/u;
  function asciiDigits(text) {
    let out = "";
    for (const char of text) {
      if (char >= "0" && char <= "9") {
        out += char;
      } else if (DIGIT.test(char)) {
        // Unicode encodes decimal digits in runs of ten from 0 to 9.
        let code = char.codePointAt(0);
        let position = 0;
        while (DIGIT.test(String.fromCodePoint(code - 1))) {
          code -= 1;
          position += 1;
        }
        out += String(position % 10);
      } else {
        out += char;
      }
    }
    return out;
  }

  // One number as people type it: 1,000 and 1,000.5 (thousands separators), full-width ４５．６.
  const NUMBER = "[+-]?(?:\\p{Nd}{1,3}(?:,\\p{Nd}{3})+(?:\\.\\p{Nd}*)?|\\p{Nd}+(?:\\.\\p{Nd}*)?|\\.\\p{Nd}+)";

  // Decimal(text) for text matching NUMBER (separators already dropped).
  function decimal(text) {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(asciiDigits(text));
    const fractionDigits = match[3] || "";
    const n = BigInt((match[2] || "0") + fractionDigits);
    return fraction(match[1] === "-" ? -n : n, 10n ** BigInt(fractionDigits.length));
  }

  // --- Notation (scoring.normalize_notation, read_notation, parse_target, parse_measure, completion_level)
  // The words of §5 come from the server (rules.notation = scoring.NOTATION): one set of rules.

  const OPERATORS = {
    ">=": "≥", "≥": "≥", "≧": "≥", "＞＝": "≥", "＞=": "≥", ">＝": "≥",
    "<=": "≤", "≤": "≤", "≦": "≤", "＜＝": "≤", "＜=": "≤", "<＝": "≤",
    "=": "=", "＝": "=", ">": ">", "＞": ">", "<": "<", "＜": "<",
  };
  const NEGATIVE_OPERATORS = ["≤", "<"];
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const OPERATOR_PATTERN = Object.keys(OPERATORS)
    .sort((a, b) => [...b].length - [...a].length)
    .map(escape)
    .join("|");
  const LEADING_OPERATOR = new RegExp("^(?:" + OPERATOR_PATTERN + ")", "u");
  const BODY_RE = new RegExp("^" + WS + "*(" + NUMBER + ")" + WS + "*(?:\\((.*)\\)|([^\\p{Nd}()\\t\\n\\v\\f\\r\\x1c-\\x1f\\x85\\p{Zs}\\u2028\\u2029]*))" + WS + "*$", "u");
  const UNUSABLE_UNITS = new Set(["", "null", "none", "无", "-", "/"]);
  const UNIT_SYNONYMS = { "百分比": "%", "％": "%" };

  function normalizeNotation(text) {
    text = strip(text).replaceAll("（", "(").replaceAll("）", ")");
    const match = LEADING_OPERATOR.exec(text);
    if (match) text = OPERATORS[match[0]] + text.slice(match[0].length);
    return text;
  }

  function unit(raw) {
    if (raw === undefined || raw === null) return null;
    const cleaned = strip(raw);
    if (UNUSABLE_UNITS.has(cleaned.toLowerCase())) return null;
    return UNIT_SYNONYMS[cleaned] || cleaned;
  }

  const longestFirst = (table) => Object.entries(table).sort(([a], [b]) => [...b].length - [...a].length);
  const asciiNumber = (number) => asciiDigits(number.replaceAll(",", ""));

  // scoring.read_notation: {operator (null when none written), number, unit (as written)} or null.
  function readNotation(text, rules) {
    const words = rules.notation;
    text = normalizeNotation(text).replaceAll("．", ".");
    let lead = null, operator = null, suffix = null;
    for (const [word, meaning] of longestFirst(words.leads)) {
      if (text.startsWith(word)) {
        lead = meaning;
        text = text.slice(word.length).replace(LEADING_WS, "");
        break;
      }
    }
    const match = LEADING_OPERATOR.exec(text);
    if (match) {
      operator = OPERATORS[match[0]];
      text = text.slice(match[0].length);
    } else {
      for (const [word, meaning] of longestFirst(words.words)) {
        if (text.startsWith(word)) {
          operator = meaning;
          text = text.slice(word.length);
          break;
        }
      }
    }
    for (const [word, meaning] of longestFirst(words.suffixes)) {
      if (text.endsWith(word)) {
        suffix = meaning;
        text = text.slice(0, text.length - word.length);
        break;
      }
    }
    const body = BODY_RE.exec(text);
    if (!body) return null;
    const [, number, bracketed, bare] = body;
    if (bare && ([...bare].length > words.bare_unit_max_length || [...bare].some((c) => words.bare_unit_forbidden.includes(c)))) {
      return null;
    }
    if (operator && suffix && NEGATIVE_OPERATORS.includes(operator) !== NEGATIVE_OPERATORS.includes(suffix)) return null;
    return {
      operator: operator || suffix || lead,
      number: asciiNumber(number),
      unit: bracketed !== undefined ? bracketed : (bare || null),
    };
  }

  function parseTarget(text, rules) {
    const notation = readNotation(text, rules);
    if (notation === null) return null;
    const operator = notation.operator || "=";
    return {
      operator, number: notation.number, value: decimal(notation.number), unit: unit(notation.unit),
      isNegative: NEGATIVE_OPERATORS.includes(operator),
    };
  }

  function parseMeasure(text, rules) {
    const notation = readNotation(text, rules);
    if (notation === null || notation.operator !== null) return null;
    return { number: notation.number, value: decimal(notation.number), unit: unit(notation.unit) };
  }

  // scoring.unit_fix: the actual with the target's unit, "2" and 场 → "2(场)".
  const unitFix = (actual, targetUnit, rules) => `${readNotation(actual, rules).number}(${targetUnit})`;

  function completionLevel(text) {
    text = text.replace(ALL_WS, "");
    if (text.startsWith("未达成")) return "not_achieved";
    if (text.startsWith("部分达成")) return "partial";
    if (text.startsWith("达成") || text === "完成") return "achieved";
    return null;
  }

  // --- Arithmetic (scoring.execution_rate … compute) ------------------------

  function executionRate(executed, budgetFullYear, rules) {
    if (isZero(budgetFullYear)) return ZERO;
    return cut(mul(div(executed, budgetFullYear), HUNDRED), rules);
  }

  function budgetScore(rate, weight, rules) {
    return cut(mul(div(min(rate, HUNDRED), HUNDRED), weight), rules);
  }

  function gradeFor(total) {
    if (cmp(total, fraction(90n)) >= 0) return "优";
    if (cmp(total, fraction(80n)) >= 0) return "良";
    if (cmp(total, fraction(60n)) >= 0) return "中";
    return "差";
  }

  // The score §2 gives a quantitative indicator; null where Python would divide by zero.
  function ruleScore(target, actual, weight, rules) {
    if (isZero(target.value)) return isZero(actual) ? weight : ZERO;
    const achieved = target.isNegative ? cmp(actual, target.value) <= 0 : cmp(actual, target.value) >= 0;
    if (achieved) return weight;
    // No proportion of a negative target means anything: not achieved, no points (as on the server).
    if (cmp(target.value, ZERO) < 0) return ZERO;
    if (target.isNegative) {
      if (rules.negative_formula === "linear") {
        return cut(max(ZERO, mul(sub(ONE, div(sub(actual, target.value), target.value)), weight)), rules);
      }
      return cut(mul(div(target.value, actual), weight), rules);
    }
    return cut(mul(div(max(ZERO, actual), target.value), weight), rules);
  }

  function suggestedScore(indicator, rules) {
    const target = parseTarget(indicator.target, rules);
    const measure = parseMeasure(indicator.actual, rules);
    if (target === null || measure === null) return null;
    return ruleScore(target, measure.value, indicator.weight, rules);
  }

  const fundingLine = (form, kind) => form.funding.find((line) => line.kind === kind) || null;

  // A browser form always carries the funding weight on its total line.
  function fundingWeight(form, rules) {
    const total = fundingLine(form, "total");
    return total && total.weight ? total.weight : rules.fundingWeight; // weight: a fraction or null
  }

  function computedFundingScore(form, rules) {
    const total = fundingLine(form, "total");
    if (!total) return ZERO;
    return budgetScore(executionRate(total.executed, total.budgetFullYear, rules), fundingWeight(form, rules), rules);
  }

  // scoring.compute() for a browser form, whose declared budget score is the computed one.
  function compute(form, rules) {
    const fundingScore = computedFundingScore(form, rules);
    const total = add(fundingScore, sum(form.indicators.map((i) => i.score)));
    return {
      fundingScore,
      weightTotal: add(fundingWeight(form, rules), sum(form.indicators.map((i) => i.weight))),
      total,
      grade: gradeFor(total),
    };
  }

  // --- Flags (scoring.flags_for) --------------------------------------------
  // E_EXEC_RATE, E_FUNDING_SCORE, E_TOTAL and E_GRADE compare declared figures with computed
  // ones; a browser form declares the computed ones, so they cannot fire here.

  const flag = (code, severity, message, place, indicator = null) => ({ code, severity, message, place, indicator });

  function fundingFlags(form, rules) {
    const flags = [];
    const labels = rules.funding_kind_labels;
    const total = fundingLine(form, "total");
    const parts = rules.funding_kinds.slice(1).map((kind) => fundingLine(form, kind));
    if (total && parts.every(Boolean)) {
      const columns = [["budgetInitial", "年初预算数"], ["budgetFullYear", "全年预算数"], ["executed", "全年执行数"]];
      for (const [attr, column] of columns) {
        const partSum = sum(parts.map((part) => part[attr]));
        if (cmp(partSum, total[attr]) !== 0) {
          flags.push(flag("E_FUNDING_SUM", "error",
            `${column}：当年财政拨款、上年结转资金、其他资金合计 ${format(partSum)}，与年度资金总额 ${format(total[attr])} 不符。`, "funding"));
        }
      }
    }
    for (const line of form.funding) {
      if (isZero(line.budgetFullYear) && cmp(line.executed, ZERO) > 0) {
        flags.push(flag("E_FUNDING_SUM", "error",
          `${labels[line.kind]}全年预算数为 0，却有执行数 ${format(line.executed)}。`, "funding"));
      }
    }
    const over = form.funding.filter((line) => cmp(line.executed, line.budgetFullYear) > 0);
    if (over.length) {
      flags.push(flag("W_OVER_BUDGET", "warning",
        `${over.map((line) => labels[line.kind]).join("、")}的全年执行数超过全年预算数，请说明原因。`, "funding"));
    }
    if (total && cmp(total.budgetInitial, total.budgetFullYear) !== 0) {
      flags.push(flag("I_BUDGET_ADJUSTED", "info",
        `年初预算数 ${format(total.budgetInitial)} 与全年预算数 ${format(total.budgetFullYear)} 不同（年中调整）。`, "funding"));
    }
    return flags;
  }

  const percent = (share) => (share.n * 100n / share.d).toString();

  function indicatorFlags(position, ind, rules) {
    const flags = [];
    const add = (code, severity, message) => flags.push(flag(code, severity, message, "indicator", position));

    if (!(ind.level1 in rules.levels)) {
      add("E_LEVELS", "error", `一级指标“${ind.level1}”不是产出指标、效益指标或满意度指标。`);
    } else if (!rules.levels[ind.level1].includes(ind.level2)) {
      add("E_LEVELS", "error", `二级指标“${ind.level2}”不属于${ind.level1}。`);
    }

    const target = parseTarget(ind.target, rules);
    const measure = parseMeasure(ind.actual, rules);
    const level = completionLevel(ind.actual);
    const explained = strip(ind.deviation) !== "";

    if (cmp(ind.score, ZERO) < 0 || cmp(ind.score, ind.weight) > 0) {
      add("E_SCORE_RANGE", "error", `得分 ${format(ind.score)} 超出 0 至分值 ${format(ind.weight)} 的范围。`);
    } else if (target !== null && measure !== null) {
      const expected = ruleScore(target, measure.value, ind.weight, rules);
      if (expected !== null && cmp(abs(sub(ind.score, expected)), rules.tolerance) > 0) {
        add("E_INDICATOR_SCORE", "error",
          `得分填报为 ${format(ind.score)}，按指标值 ${ind.target} 与完成值 ${ind.actual} 应为 ${format(expected)}。`);
      }
    } else if (level !== null) {
      const [low, high, highInclusive] = rules.bands[level];
      if (!isZero(ind.weight)) {
        const share = div(ind.score, ind.weight);
        const inside = cmp(share, low) >= 0 && (highInclusive ? cmp(share, high) <= 0 : cmp(share, high) < 0);
        if (!inside) {
          const band = `[${percent(low)}%, ${percent(high)}%${highInclusive ? "]" : ")"}`;
          add("E_QUALITATIVE_BAND", "error",
            `完成情况为“${rules.completion_level_labels[level]}”，得分应在分值的 ${band} 之间，实际得分 ${format(ind.score)}。`);
        }
      }
    } else if (target !== null) {
      add("E_UNSCORABLE", "error",
        `指标值 ${ind.target} 为定量指标，但完成值“${ind.actual}”既不是数值也不是完成等级，无法核对得分。`);
    }

    if (cmp(ind.score, ZERO) >= 0 && cmp(ind.score, ind.weight) < 0 && !explained) {
      add("W_DEDUCTION_UNEXPLAINED", "warning",
        `得分 ${format(ind.score)} 低于分值 ${format(ind.weight)}，但未填写偏差原因分析及改进措施。`);
    }
    if (target !== null && measure !== null && !target.isNegative && cmp(target.value, ZERO) > 0
        && cmp(measure.value, mul(target.value, rules.overachievedRatio)) >= 0 && !explained) {
      add("W_OVERACHIEVED", "warning",
        `完成值 ${ind.actual} 高出指标值 ${ind.target} 较多（≥${rules.overachieved_ratio} 倍），指标值可能偏低，请分析原因。`);
    }
    if (target !== null && target.unit === null) {
      add("W_UNIT_MISSING", "warning", `指标值“${ind.target}”缺少计量单位。`);
    } else if (target !== null && measure !== null && measure.unit === null) {
      add("W_UNIT_MISSING", "warning", `完成值“${ind.actual}”缺少单位，应写作“${unitFix(ind.actual, target.unit, rules)}”。`);
    } else if (target !== null && measure !== null && target.unit !== measure.unit) {
      add("W_UNIT_MISMATCH", "warning", `指标值单位“${target.unit}”与完成值单位“${measure.unit}”不一致。`);
    }
    return flags;
  }

  function formFlags(form, rules) {
    const flags = [];
    const weight = fundingWeight(form, rules);
    const weightTotal = add(weight, sum(form.indicators.map((i) => i.weight)));
    if (cmp(weightTotal, HUNDRED) !== 0) {
      flags.push(flag("E_WEIGHTS", "error", `预算执行分值与各指标分值合计 ${format(weightTotal)}，应为 100.00。`, "form"));
    }
    const present = new Set(form.indicators.map((i) => i.level1));
    for (const category of rules.required_categories) {
      if (!present.has(category)) flags.push(flag("W_CATEGORY_MISSING", "warning", `缺少${category}。`, "form"));
    }
    const split = rules.advisorySplit.map(([category]) => [
      category, sum(form.indicators.filter((i) => i.level1 === category).map((i) => i.weight)),
    ]);
    const advisory = new Set(rules.advisorySplit.map(([category]) => category));
    const differs = cmp(weight, rules.fundingWeight) !== 0
      || split.some(([, value], index) => cmp(value, rules.advisorySplit[index][1]) !== 0)
      || [...present].some((category) => !advisory.has(category));
    if (differs) {
      const shown = split.map(([category, value]) => `${category.replace(/指标$/, "")} ${format(value)}`).join("、");
      flags.push(flag("I_WEIGHT_SPLIT", "info",
        `一级指标分值为 预算执行率 ${format(weight)}、${shown}，与建议的 10/50/30/10 不同。`, "form"));
    }
    return flags;
  }

  // --- Plausibility (scoring._spending_flags, scoring._satisfaction_flags) ---

  function spendingFlags(form, rules) {
    const total = fundingLine(form, "total");
    if (!total || isZero(total.budgetFullYear)) return [];
    const flags = [];
    const rate = executionRate(total.executed, total.budgetFullYear, rules);
    const scores = sum(form.indicators.map((i) => i.score));
    const weights = sum(form.indicators.map((i) => i.weight));
    // (1 − margin) × Σ scores × 100 > min(rate, 100) × Σ weights, as on the server.
    if (cmp(weights, ZERO) > 0
        && cmp(mul(mul(sub(ONE, rules.scoreAheadMargin), scores), HUNDRED), mul(min(rate, HUNDRED), weights)) > 0) {
      flags.push(flag("W_SCORE_AHEAD_OF_SPENDING", "warning",
        `各项指标得分率 ${format(executionRate(scores, weights, rules))}%，明显高于预算执行率 ${format(min(rate, HUNDRED))}%：`
        + "资金没有用完，绩效却按完成自评，请核实完成情况与资金使用是否相符。", "funding"));
    }
    if (cmp(rate, rules.underspentRate) < 0) {
      flags.push(flag("W_UNDERSPENT", "warning",
        `年度资金总额执行率 ${format(rate)}%，低于 ${rules.underspent_rate}%，请说明资金未执行的原因。`, "funding"));
    }
    return flags;
  }

  function satisfactionFlags(form, evidenced, rules) {
    const flags = [];
    form.indicators.forEach((ind, index) => {
      if (ind.level1 !== "满意度指标" || evidenced.includes(index + 1)) return;
      const measure = parseMeasure(ind.actual, rules);
      if (measure !== null && (measure.unit === "%" || measure.unit === null)
          && cmp(measure.value, rules.satisfactionEvidenceRate) >= 0) {
        flags.push(flag("I_SATISFACTION_UNSUPPORTED", "info",
          `满意度完成值 ${ind.actual} 不低于 ${rules.satisfaction_evidence_rate}%，`
          + "但没有附调查结果等佐证材料，也没有填写样本量和调查方式。", "indicator", index + 1));
      }
    });
    return flags;
  }

  const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

  // W_TEXT_REUSED needs the other forms: the server shows it after saving. `tuning` is the department's
  // {code: severity, or null for off} of the §6 flags (scoring.tuned).
  function flagsFor(form, rules, evidenced = [], tuning = {}) {
    let flags = [...fundingFlags(form, rules), ...formFlags(form, rules), ...spendingFlags(form, rules)];
    form.indicators.forEach((indicator, index) => {
      flags = flags.concat(indicatorFlags(index + 1, indicator, rules));
    });
    flags = flags.concat(satisfactionFlags(form, evidenced, rules))
      .filter((f) => !(f.code in tuning) || tuning[f.code] !== null)
      .map((f) => (f.code in tuning ? { ...f, severity: tuning[f.code] } : f));
    // Array.prototype.sort is stable, like Python's sorted().
    return flags.sort((a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.indicator || 0) - (b.indicator || 0));
  }

  // --- Rules from settings (evaluations.entry.page_rules) -------------------

  function rulesFrom(json) {
    return {
      ...json,
      tolerance: decimal(json.tolerance),
      overachievedRatio: decimal(json.overachieved_ratio),
      scoreAheadMargin: decimal(json.score_ahead_margin),
      underspentRate: decimal(json.underspent_rate),
      satisfactionEvidenceRate: decimal(json.satisfaction_evidence_rate),
      fundingWeight: decimal(json.funding_weight),
      advisorySplit: json.advisory_split.map(([category, weight]) => [category, decimal(weight)]),
      bands: Object.fromEntries(Object.entries(json.qualitative_bands).map(
        ([level, [low, high, inclusive]]) => [level, [decimal(low), decimal(high), inclusive]])),
    };
  }

  // An amount, weight or score typed in a cell, as people type it (１,０００．５): what
  // forms.TypedDecimalField(max_digits, decimal_places=2, min_value=0) accepts, or a Chinese reason it
  // would refuse it (a blank cell has neither).
  const AMOUNT_RE = new RegExp("^" + NUMBER + "$", "u");
  function parseAmount(text, maxDigits = null) {
    const cleaned = strip(text).replaceAll("．", ".");
    if (cleaned === "") return { value: null, error: null };
    if (!AMOUNT_RE.test(cleaned)) return { value: null, error: "请填写数字。" };
    const plain = asciiNumber(cleaned);
    const value = decimal(plain);
    const [whole, decimals = ""] = plain.replace(/^[+-]/, "").split(".");
    if (decimals.length > 2) return { value: null, error: "最多两位小数。" }; // Django counts trailing zeros too
    if (cmp(value, ZERO) < 0) return { value: null, error: "不能为负数。" };
    if (maxDigits !== null && whole.replace(/^0+/, "").length > maxDigits - 2) {
      return { value: null, error: `数值过大（整数部分最多 ${maxDigits - 2} 位）。` };
    }
    return { value, error: null };
  }

  global.zpbScoring = {
    decimal, format, cmp, mul, strip, ZERO, rulesFrom, parseAmount, parseTarget, parseMeasure, unitFix, completionLevel,
    executionRate, suggestedScore, compute, flagsFor,
  };
})(window);
