"""W_TEXT_REUSED (SCORING.md §6): a 偏差原因分析及改进措施 or 实际完成情况 of 20+ characters at least 90 % similar
to one in another project's form of the department, or in an earlier year of the same project, names that form."""

import random
from decimal import ROUND_DOWN
from decimal import Decimal as D

import pytest
from django.urls import reverse
from rapidfuzz.distance import Indel

from evaluations.models import Evaluation, TextReuse
from evaluations.similarity import Choices, TextIndex
from importer import loader, sources
from tests import factory

COPIED = "受疫情影响，部分线下交流活动改为线上举办，参与人数低于预期，下年度将提前做好应急预案。"
EDITED = COPIED.replace("下年度", "明年").replace("参与", "参加")  # a few characters changed: still ≥ 90 %


def accept_all(source):
    return True


# --- The similarity itself (plain Python) ----------------------------------------------------------

def test_exactly_ninety_percent_counts_and_just_below_does_not():
    base = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"  # 20 characters
    index = TextIndex(20, D("90"))
    index.add(base, "A")
    two_changed = "天地" + base[2:]  # distance 4 of 40 characters: exactly 90 %
    three_changed = "天地玄" + base[3:]  # distance 6 of 40: 85 %
    assert index.most_similar(two_changed, accept_all).similarity == D("90.00")
    assert index.most_similar(three_changed, accept_all) is None


def test_short_texts_and_white_space_do_not_count():
    index = TextIndex(20, D("90"))
    index.add("无偏差。", "A")
    index.add(COPIED, "B")
    assert index.most_similar("无偏差。", accept_all) is None
    spaced = " ".join(COPIED)  # white space and line breaks from PDFs are not differences
    assert index.most_similar(spaced, accept_all).source == "B"


def test_both_filtered_searches_find_what_comparing_with_every_text_finds():
    rng = random.Random(16)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(20, 80))) for _ in range(300)]
    index = TextIndex(20, D("90"))
    for n, text in enumerate(texts):
        index.add(text, n)
    choices = Choices(texts)
    for _ in range(300):
        query = list(rng.choice(texts))
        for _ in range(rng.randint(0, 6)):  # a few edits: some stay above 90 %, some fall below
            query[rng.randrange(len(query))] = rng.choice(alphabet)
        query = "".join(query)
        found = index.most_similar(query, accept_all)
        best = max(((1 - D(Indel.distance(query, t)) / (len(query) + len(t))) * 100, -n) for n, t in enumerate(texts))
        expected = None if best[0] < 90 else (-best[1], best[0].quantize(D("0.01"), ROUND_DOWN))
        assert (None if found is None else (found.source, found.similarity)) == expected
        by_length = choices.best_match(query, D("90"))
        assert (None if by_length is None else by_length[1]) == (None if expected is None else expected[1])


def test_the_best_source_that_may_be_compared_is_named():
    index = TextIndex(20, D("90"))
    index.add(COPIED, "same project this year")
    index.add(EDITED, "another project")
    match = index.most_similar(COPIED, lambda source: source != "same project this year")
    assert match.source == "another project" and D("90") <= match.similarity < D("100")


# --- In the database --------------------------------------------------------------------------------

def figures_with_deviation(text):
    figures = factory.clean_figures(declared_total=D("95.00"))
    figures.indicators[0] = factory.indicator(actual="1.80(场)", score="45.00", deviation=text)
    return figures


@pytest.fixture
def sample(db):
    forms, errors = sources.parse_file(factory.SAMPLE_DUMP.read_bytes(), factory.SAMPLE_DUMP.name)
    assert not errors
    results = [result for _, result in loader.load_forms(forms)]
    return {result.evaluation.project.name: result.evaluation for result in results}


def test_the_sample_forms_resemble_none_of_each_other(sample):
    assert not TextReuse.objects.exists()
    assert not Evaluation.objects.filter(Evaluation.flagged_with("W_TEXT_REUSED")).exists()


def test_a_deviation_copied_from_another_units_form_is_flagged_with_that_form(client, sample):
    department = sample["国内外科技合作交流"].department
    other_unit = factory.make_unit("上海市科技人才发展中心", department)
    original = factory.make_evaluation(factory.make_project("科技人才培训", other_unit), 2023,
                                       figures_with_deviation(COPIED), Evaluation.Status.SUBMITTED)
    staff = factory.make_staff("copier", factory.make_unit("上海科学技术交流中心", department))
    copier = Evaluation.objects.create(project=factory.make_project("科普讲解大赛", staff.profile.unit), year=2023)
    client.force_login(staff)
    response = client.post(reverse("evaluation_entry", args=[copier.pk]),
                           factory.entry_form_data(figures_with_deviation(EDITED), copier.version))
    assert response.status_code == 302

    copier.refresh_from_db()
    assert copier.has_flag("W_TEXT_REUSED")
    flag = next(f for f in copier.flags() if f.code == "W_TEXT_REUSED")
    assert flag.indicator == 1
    assert "《科技人才培训》（上海市科技人才发展中心，2023年度）第 1 项指标" in flag.message
    page = client.get(reverse("evaluation_entry", args=[copier.pk])).content.decode()
    assert "《科技人才培训》（上海市科技人才发展中心，2023年度）" in page

    # The form copied from resembles the copy just as much: it names the copy back.
    original.refresh_from_db()
    assert original.has_flag("W_TEXT_REUSED")
    assert "《科普讲解大赛》（上海科学技术交流中心，2023年度）" in next(
        f.message for f in original.flags() if f.code == "W_TEXT_REUSED")

    # Saved again with its texts as they were (a score changed), the finding stays as it was found.
    again = figures_with_deviation(EDITED)
    again.indicators[1] = factory.indicator("效益指标", "社会效益指标", "服务覆盖面", "≥90(%)", "92.00(%)", "30.00")
    found = list(TextReuse.objects.filter(evaluation=copier).values_list("pk", "similar_to", "similarity"))
    client.post(reverse("evaluation_entry", args=[copier.pk]), factory.entry_form_data(again, copier.version))
    copier.refresh_from_db()
    assert copier.version == 3 and copier.has_flag("W_TEXT_REUSED")
    assert list(TextReuse.objects.filter(evaluation=copier).values_list("pk", "similar_to", "similarity")) == found

    # Rewritten in the unit's own words, both flags go.
    client.post(reverse("evaluation_entry", args=[copier.pk]),
                factory.entry_form_data(figures_with_deviation("讲解员临时调整，比赛推迟一周举办，已在明年计划中留出余量。"),
                                        copier.version))
    copier.refresh_from_db()
    original.refresh_from_db()
    assert not copier.has_flag("W_TEXT_REUSED") and not original.has_flag("W_TEXT_REUSED")
    assert original.warning_count == 0


def test_the_projects_earlier_year_counts_but_not_a_later_one(db):
    project = factory.make_project("科技人才培训")
    earlier = factory.make_evaluation(project, 2022, figures_with_deviation(COPIED))
    later = factory.make_evaluation(project, 2023, figures_with_deviation(EDITED))
    earlier.refresh_from_db()
    assert later.has_flag("W_TEXT_REUSED")
    assert ["《科技人才培训》（上海科学技术交流中心，2022年度）" in f.message
            for f in later.flags() if f.code == "W_TEXT_REUSED"] == [True]
    assert not earlier.has_flag("W_TEXT_REUSED")


def test_forms_of_another_department_are_not_compared(db):
    factory.make_evaluation(factory.make_project("科技人才培训"), 2023, figures_with_deviation(COPIED))
    elsewhere = factory.make_unit("区财政局", factory.make_department("上海市财政局"))
    other = factory.make_evaluation(factory.make_project("别处的项目", elsewhere), 2023, figures_with_deviation(COPIED))
    assert not other.has_flag("W_TEXT_REUSED")


def test_an_import_batch_finds_copies_within_itself_and_in_the_database(db):
    factory.make_evaluation(factory.make_project("科技人才培训", factory.make_unit("上海市科技人才发展中心")), 2023,
                            figures_with_deviation(COPIED))
    forms, _ = sources.parse_file(factory.SAMPLE_DUMP.read_bytes(), factory.SAMPLE_DUMP.name)
    # Two of the six write the same long goal text, and one the other unit's deviation.
    forms[1].goal_actual = forms[0].goal_actual
    forms[2].figures.indicators[0].deviation = COPIED
    results = {form.project_name: result for form, result in loader.load_forms(forms)}
    first, second, third = (results[form.project_name] for form in forms[:3])
    assert [f.code for f in first.flags if f.code == "W_TEXT_REUSED"] == ["W_TEXT_REUSED"]
    assert any(f.code == "W_TEXT_REUSED" and forms[0].project_name in f.message for f in second.flags)
    assert any(f.code == "W_TEXT_REUSED" and f.indicator == 1 and "科技人才培训" in f.message for f in third.flags)
    for result in (first, second, third):
        result.evaluation.refresh_from_db()
        assert result.evaluation.has_flag("W_TEXT_REUSED")
    original = Evaluation.objects.get(project__name="科技人才培训")
    assert original.has_flag("W_TEXT_REUSED")  # named back by the import


def test_a_copy_broken_by_white_space_is_found_in_the_database(db):
    # Twice as long with its spaces and line breaks (as pasted from a PDF): the same text once they are gone.
    factory.make_evaluation(factory.make_project("科技人才培训", factory.make_unit("上海市科技人才发展中心")), 2023,
                            figures_with_deviation("\n".join(" ".join(COPIED[i:i + 8]) for i in range(0, len(COPIED), 8))))
    copy = factory.make_evaluation(factory.make_project("科普讲解大赛"), 2023, figures_with_deviation(COPIED))
    assert [f.message.count("相似度达 100%") for f in copy.flags() if f.code == "W_TEXT_REUSED"] == [1]
