from .views import attendance, certificates, online, workshops

app_name = "training"
# Workshops, enrolment and evaluations (workshops.py); the attendance sheet, walk-ins
# and the paper sheet (attendance.py); certificates and their public check
# (certificates.py); online enrolment by organisation accounts (online.py) — each module
# with its own patterns.
urlpatterns = (workshops.urlpatterns + attendance.urlpatterns + certificates.urlpatterns
               + online.urlpatterns)
