"""The target groups a project reaches follow its holders: when a holder's record changes
(a corrected birth year, a merge that fills the disability), the projects they hold are
refreshed."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from essor.registry.models import Person


@receiver(post_save, sender=Person, dispatch_uid="incubation_holder_targets")
def refresh_held_projects(sender, instance: Person, created: bool, raw: bool = False,
                          **kwargs) -> None:
    if created or raw:
        return
    from .models import Project
    from .services import project_refresh_targets

    for project in Project.objects.filter(holders__person=instance):
        project_refresh_targets(project)
