"""The training pages in the permission matrix (see essor/core/testing.py).

The workshop is in Casablanca-Settat, run by an external trainer: the Oriental personas
(the trainer included, who runs only their own workshops) must not find it; the coach of
Casablanca-Settat reads it without running it.
"""

from essor.core.testing import CASA_OBJECT, CASA_OBJECT_READ, EDITORS, row
from essor.registry.tests.factories import PersonFactory

from .factories import EnrolmentFactory, WorkshopFactory

POST_ONLY = row(default=405)
READERS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
           "trainer": 200, "coach": 200, "analyst": 200, "default": 403}
FIGURES = {**READERS, "trainer": 403}

ROWS = {
    "training:workshop_list": row(**READERS),
    "training:workshop_create": row(**EDITORS),
    "training:workshop_detail": row(**CASA_OBJECT_READ),
    "training:workshop_edit": row(**CASA_OBJECT),
    "training:workshop_status": POST_ONLY,
    "training:enrolment_list": row(**CASA_OBJECT),
    "training:workshop_enrol": POST_ONLY,
    "training:workshop_enrol_new": row(**CASA_OBJECT),
    "training:workshop_evaluations": row(**CASA_OBJECT_READ),
    "training:enrolment_cancel": POST_ONLY,
    "training:evaluation_form": row(**CASA_OBJECT),
    "training:theme_results": row(**READERS),
    "training:figures": row(**FIGURES),
    "training:attendance": row(**CASA_OBJECT),
    "training:walk_in": POST_ONLY,
    "training:attendance_sheet_pdf": row(**CASA_OBJECT),
}


MANAGE = {"national_admin": 302, "casablanca_officer": 302, "default": 404}
WRITES = {
    "training:workshop_create": {"POST": row(**EDITORS)},  # empty form: its errors, 200
    "training:workshop_edit": {"POST": row(**CASA_OBJECT)},
    "training:workshop_status": {"POST": row(**MANAGE)},
    "training:workshop_enrol": {"POST": row(**MANAGE)},
    "training:workshop_enrol_new": {"POST": row(**CASA_OBJECT)},
    "training:enrolment_cancel": {"POST": row(**MANAGE)},
    "training:evaluation_form": {"POST": row(**CASA_OBJECT)},
    "training:attendance": {"POST": row(**MANAGE)},
    "training:walk_in": {"POST": row(**CASA_OBJECT)},
}


def payloads(ctx) -> dict:
    return {("training:workshop_status", "POST"): {"status": "held"},
            ("training:workshop_enrol", "POST"): {"person": ctx["training_person"].pk},
            ("training:attendance", "POST"): {"enrolment": ctx["training_enrolment"].pk,
                                              "attended": "0", "confirm": "1"}}


def build(ctx) -> dict:
    workshop = WorkshopFactory(region=ctx["casablanca_settat"], trainer_name="Latifa Bennani")
    enrolment = EnrolmentFactory(workshop=workshop, attended=True)
    ctx["training_enrolment"] = enrolment
    ctx["training_person"] = PersonFactory(region=ctx["casablanca_settat"])
    by_workshop = {"pk": workshop.pk}
    return {
        **{name: by_workshop for name in (
            "training:workshop_detail", "training:workshop_edit", "training:workshop_status",
            "training:enrolment_list", "training:workshop_enrol",
            "training:workshop_enrol_new", "training:workshop_evaluations",
            "training:attendance", "training:walk_in", "training:attendance_sheet_pdf")},
        "training:enrolment_cancel": {"pk": enrolment.pk},
        "training:evaluation_form": {"pk": enrolment.pk},
    }
