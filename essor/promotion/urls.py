from .views import checkin, events, public

app_name = "promotion"
# Staff and organisation pages (events.py), check-in and badges (checkin.py),
# and the public pages (public.py), each module with its own patterns.
urlpatterns = events.urlpatterns + checkin.urlpatterns + public.urlpatterns
