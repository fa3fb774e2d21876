"""One person, one record: the duplicate rules, near-match candidates and merges."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from essor.audit.models import AuditEntry
from essor.registry import selectors, services
from essor.registry.models import DismissedMatch, Membership, Person
from essor.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _create(by, region, **data):
    fields = {"first_name": "Fatima Zahra", "last_name": "Benali", "sex": "F",
              "region": region, **data}
    return services.person_create(by=by, **fields)


# -- person_get_or_create ------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["AB123456", "ab123456", "ab 123456", " Ab 123 456 ",
                                      "ab-123456"])
def test_same_national_id_in_any_case_or_spacing_is_the_same_person(
        national_admin, casablanca_settat, spelling):
    stored = _create(national_admin, casablanca_settat, national_id="AB123456",
                     phone="0612345678")

    person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Fatima", last_name="Benali", sex="F",
        region=casablanca_settat, national_id=spelling, phone="0698765432")

    assert person.pk == stored.pk
    assert outcome in ("unchanged", "updated")
    assert Person.objects.count() == 1


def test_a_national_id_typed_with_spaces_is_stored_in_its_canonical_form(
        national_admin, casablanca_settat):
    person = _create(national_admin, casablanca_settat, national_id="ab 123456")

    person.refresh_from_db()
    assert person.national_id == "AB123456"
    assert person.national_id_key == "AB123456"


@pytest.mark.parametrize(("first_name", "last_name", "phone"), [
    ("Fatima Zahra", "Benali", "0612345678"),
    ("FATIMA-ZAHRA", "BENALI", "+212 6 12 34 56 78"),
    ("fâtima  zahra", "benali", "00212 612345678"),
    ("Fatima Zahra", "Benali", "+212 (0)6 12 34 56 78"),
])
def test_same_name_and_phone_without_national_ids_is_the_same_person(
        national_admin, casablanca_settat, first_name, last_name, phone):
    stored = _create(national_admin, casablanca_settat, phone="06 12 34 56 78")

    person, _outcome = services.person_get_or_create(
        by=national_admin, first_name=first_name, last_name=last_name, sex="F",
        region=casablanca_settat, phone=phone)

    assert person.pk == stored.pk
    assert Person.objects.count() == 1


def test_same_name_with_another_phone_is_another_person(national_admin, casablanca_settat):
    _create(national_admin, casablanca_settat, phone="0612345678")

    _person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Fatima Zahra", last_name="Benali", sex="F",
        region=casablanca_settat, phone="0612345679")

    assert outcome == "created"
    assert Person.objects.count() == 2


def test_same_name_with_no_phone_and_no_national_id_on_either_side_is_the_same_person(
        national_admin, casablanca_settat):
    # Two empty phones are equal phones; with no phone, sex, birth year and region must
    # match as well, so that a re-imported row finds its person.
    stored = _create(national_admin, casablanca_settat, birth_year=1994)

    person, outcome = services.person_get_or_create(
        by=national_admin, first_name="FATIMA-ZAHRA", last_name="benali", sex="F",
        region=casablanca_settat, birth_year=1994, first_name_ar="فاطمة الزهراء")

    assert person.pk == stored.pk
    assert outcome == "updated"
    assert Person.objects.count() == 1


@pytest.mark.parametrize("other", [{"birth_year": 1980}, {"region": "MA-02"}, {"sex": "M"}])
def test_namesakes_with_no_phone_and_no_national_id_stay_two_people(
        national_admin, casablanca_settat, other):
    from essor.territory.models import Region

    _create(national_admin, casablanca_settat, birth_year=1994)
    data = {"first_name": "Fatima Zahra", "last_name": "Benali", "sex": "F",
            "region": casablanca_settat, "birth_year": 1994, **other}
    if isinstance(data["region"], str):
        data["region"] = Region.objects.get(code=data["region"])

    _person, outcome = services.person_get_or_create(by=national_admin, **data)

    assert outcome == "created"
    assert Person.objects.count() == 2


def test_name_and_phone_do_not_match_a_stored_person_who_has_a_national_id(
        national_admin, casablanca_settat):
    # The rule: name + phone only "without a national ID on either side".
    stored = _create(national_admin, casablanca_settat, phone="0612345678",
                     national_id="AB123456")

    person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Fatima Zahra", last_name="Benali", sex="F",
        region=casablanca_settat, phone="0612345678")

    assert outcome == "created"
    assert person.pk != stored.pk
    assert Person.objects.count() == 2


def test_name_and_phone_do_not_match_when_the_newcomer_has_a_national_id(
        national_admin, casablanca_settat):
    stored = _create(national_admin, casablanca_settat, phone="0612345678")

    person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Fatima Zahra", last_name="Benali", sex="F",
        region=casablanca_settat, phone="0612345678", national_id="AB123456")

    assert outcome == "created"
    assert person.pk != stored.pk


def test_reuse_fills_blanks_and_never_overwrites(national_admin, casablanca_settat):
    stored = _create(national_admin, casablanca_settat, national_id="AB123456",
                     birth_year=1985)

    person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Khadija", last_name="Tazi", sex="M",
        region=casablanca_settat, national_id="ab123456", birth_year=1990,
        first_name_ar="فاطمة الزهراء", last_name_ar="بنعلي", phone="0612345678",
        disability=True)

    assert outcome == "updated"
    person.refresh_from_db()
    assert person.pk == stored.pk
    # kept
    assert (person.first_name, person.last_name, person.sex) == ("Fatima Zahra", "Benali", "F")
    assert person.birth_year == 1985
    # filled
    assert person.first_name_ar == "فاطمة الزهراء"
    assert person.last_name_ar == "بنعلي"
    assert person.phone == "06 12 34 56 78"  # in its canonical form
    assert person.disability is True


def test_reuse_with_nothing_new_is_unchanged_and_writes_no_audit(
        national_admin, casablanca_settat):
    _create(national_admin, casablanca_settat, national_id="AB123456", birth_year=1985)
    entries = AuditEntry.objects.count()

    _person, outcome = services.person_get_or_create(
        by=national_admin, first_name="Fatima Zahra", last_name="Benali", sex="F",
        region=casablanca_settat, national_id="AB123456", birth_year=1985)

    assert outcome == "unchanged"
    assert AuditEntry.objects.count() == entries


def test_reuse_does_not_fill_a_province_of_another_region(
        national_admin, casablanca_settat, oriental):
    from essor.territory.models import Province

    stored = _create(national_admin, casablanca_settat, national_id="AB123456")

    services.person_get_or_create(
        by=national_admin, first_name="Fatima Zahra", last_name="Benali", sex="F",
        region=oriental, province=Province.objects.get(code="MA-OUJ"),
        national_id="AB123456")

    stored.refresh_from_db()
    assert stored.province_id is None
    assert stored.region_id == casablanca_settat.pk


# -- person_create ----------------------------------------------------------------------------


def test_person_create_refuses_a_second_record_with_the_same_national_id(
        national_admin, casablanca_settat):
    stored = _create(national_admin, casablanca_settat, national_id="AB123456")

    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        _create(national_admin, casablanca_settat, first_name="Autre", national_id="ab 123456")

    assert excinfo.value.code == "duplicate_person"
    message = " ".join(excinfo.value.messages)
    assert "already registered" in message
    assert "Fatima Zahra Benali" in message
    assert str(stored.pk) in message
    assert Person.objects.count() == 1


def test_person_create_refuses_a_second_record_with_the_same_name_and_phone(
        national_admin, casablanca_settat):
    stored = _create(national_admin, casablanca_settat, phone="0612345678")

    with pytest.raises(ValidationError) as excinfo:
        _create(national_admin, casablanca_settat, first_name="fatima-zahra",
                phone="+212 6 12 34 56 78")

    assert excinfo.value.code == "duplicate_person"
    assert str(stored.pk) in " ".join(excinfo.value.messages)
    assert Person.objects.count() == 1


def test_person_update_refuses_to_take_another_persons_national_id(
        national_admin, casablanca_settat):
    _create(national_admin, casablanca_settat, national_id="AB123456")
    other = _create(national_admin, casablanca_settat, first_name="Khadija")

    with pytest.raises(ValidationError) as excinfo:
        services.person_update(person=other, by=national_admin, national_id="ab123456")

    assert excinfo.value.code == "duplicate_person"


def test_person_create_refuses_a_region_outside_the_writers_scope(
        oriental_officer, casablanca_settat):
    with pytest.raises(PermissionDenied):
        _create(oriental_officer, casablanca_settat)
    assert Person.objects.count() == 0


# -- near-match candidates --------------------------------------------------------------------


def _pairs(candidates):
    return {frozenset((c.a.pk, c.b.pk)) for c in candidates}


def test_names_one_letter_apart_are_proposed(national_admin):
    a = PersonFactory(first_name="Fatima", last_name="Benali", birth_year=1990)
    b = PersonFactory(first_name="Fatima", last_name="Benaly", birth_year=1990)
    PersonFactory(first_name="Khadija", last_name="Tazi", birth_year=1990)

    candidates = selectors.person_match_candidates(user=national_admin)

    assert _pairs(candidates) == {frozenset((a.pk, b.pk))}
    assert "spelling" in candidates[0].reasons


def test_latin_and_arabic_spellings_of_one_name_are_proposed(national_admin):
    latin = PersonFactory(first_name="Mohamed", last_name="Alaoui", sex="M",
                          phone="0612345678")
    arabic = PersonFactory(first_name="محمد", last_name="العلوي", sex="M", phone="0612345678")

    candidates = selectors.person_match_candidates(user=national_admin)

    assert _pairs(candidates) == {frozenset((latin.pk, arabic.pk))}
    assert {"same_sound", "same_phone"} <= set(candidates[0].reasons)


def test_candidates_for_one_person(national_admin):
    latin = PersonFactory(first_name="Mohamed", last_name="Alaoui", sex="M", birth_year=1980)
    arabic = PersonFactory(first_name="محمد", last_name="العلوي", sex="M", birth_year=1980)
    PersonFactory(first_name="Khadija", last_name="Tazi")

    candidates = selectors.person_match_candidates(user=national_admin, person=latin)

    assert [c.b.pk for c in candidates] == [arabic.pk]


def test_different_people_sharing_a_phone_are_not_proposed(national_admin):
    PersonFactory(first_name="Fatima", last_name="Benali", phone="0612345678")
    PersonFactory(first_name="Youssef", last_name="Amrani", sex="M", phone="0612345678",
                  birth_year=1970)

    assert selectors.person_match_candidates(user=national_admin) == []


def test_dismissed_pairs_are_no_longer_proposed(national_admin):
    a = PersonFactory(first_name="Fatima", last_name="Benali", birth_year=1990)
    b = PersonFactory(first_name="Fatima", last_name="Benaly", birth_year=1990)
    c = PersonFactory(first_name="Fatima", last_name="Bennali", birth_year=1990)
    assert frozenset((a.pk, b.pk)) in _pairs(
        selectors.person_match_candidates(user=national_admin))

    services.match_dismiss(a=b, b=a, by=national_admin)

    pairs = _pairs(selectors.person_match_candidates(user=national_admin))
    assert frozenset((a.pk, b.pk)) not in pairs
    assert frozenset((a.pk, c.pk)) in pairs
    assert a.pk not in [x.b.pk for x in
                        selectors.person_match_candidates(user=national_admin, person=b)]
    assert DismissedMatch.objects.get().person_a_id == min(a.pk, b.pk)


def test_candidates_stay_within_the_readers_region(oriental_officer, casablanca_officer):
    PersonFactory(first_name="Fatima", last_name="Benali", birth_year=1990)
    PersonFactory(first_name="Fatima", last_name="Benaly", birth_year=1990)

    assert selectors.person_match_candidates(user=oriental_officer) == []
    assert len(selectors.person_match_candidates(user=casablanca_officer)) == 1


# -- merge ------------------------------------------------------------------------------------


def test_merge_moves_memberships_fills_blanks_deletes_the_duplicate_and_audits_once(
        casablanca_officer, casablanca_settat):
    both = OrganisationFactory(name="Coopérative Both")
    only_drop = OrganisationFactory(name="Coopérative Drop")
    keep = PersonFactory(first_name="Fatima", last_name="Benali", phone="0612345678",
                         birth_year=None)
    drop = PersonFactory(first_name="Fatima", last_name="Benaly", phone="0699999999",
                         birth_year=1990, national_id="AB123456", first_name_ar="فاطمة")
    Membership.objects.create(person=keep, organisation=both, role="president")
    Membership.objects.create(person=drop, organisation=both)
    Membership.objects.create(person=drop, organisation=only_drop)
    entries = AuditEntry.objects.count()

    merged = services.person_merge(keep=keep, drop=drop, by=casablanca_officer)

    assert merged.pk == keep.pk
    assert not Person.objects.filter(pk=drop.pk).exists()
    memberships = Membership.objects.filter(person=keep).order_by("organisation__name")
    assert [(m.organisation.name, m.role) for m in memberships] == [
        ("Coopérative Both", "president"), ("Coopérative Drop", "member")]
    assert Membership.objects.count() == 2
    keep.refresh_from_db()
    assert keep.phone == "0612345678"  # not overwritten
    assert keep.last_name == "Benali"
    assert keep.birth_year == 1990  # filled
    assert keep.national_id == "AB123456"
    assert keep.national_id_key == "AB123456"
    assert keep.first_name_ar == "فاطمة"
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.get(action="registry.person.merged")
    assert entry.actor == casablanca_officer
    assert entry.object_id == str(keep.pk)
    assert entry.changes["dropped_person"] == drop.pk
    assert entry.changes["moved"] == {"registry.membership": 1}
    assert entry.changes["deleted_duplicates"] == {"registry.membership": 1}
    assert "national_id" in entry.changes["filled"]


def test_merge_removes_the_dismissals_of_the_dropped_person(national_admin):
    keep = PersonFactory()
    drop = PersonFactory()
    other = PersonFactory()
    services.match_dismiss(a=drop, b=other, by=national_admin)

    services.person_merge(keep=keep, drop=drop, by=national_admin)

    assert not DismissedMatch.objects.exists()


def test_a_person_cannot_be_merged_with_themselves(national_admin):
    person = PersonFactory()

    with pytest.raises(ValidationError):
        services.person_merge(keep=person, drop=person, by=national_admin)

    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="registry.person.merged").exists()


def test_merge_refuses_a_person_outside_the_writers_region(oriental_officer, oriental):
    keep = PersonFactory(region=oriental)
    drop = PersonFactory()  # Casablanca-Settat

    with pytest.raises(PermissionDenied):
        services.person_merge(keep=keep, drop=drop, by=oriental_officer)

    assert Person.objects.filter(pk=drop.pk).exists()
