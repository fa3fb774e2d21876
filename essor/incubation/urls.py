from .views import calls, coaching, data, pipeline, projects, public

app_name = "incubation"
# The public calls for projects and their application form (public.py); the staff's calls,
# applications, selection and cohorts (calls.py); the pipeline board, incubators'
# pages (pipeline.py); a project's page and its forms (projects.py); coaching sessions,
# next steps, the coach's agenda and workload (coaching.py); the exports (data.py) — each
# module with its own patterns.
urlpatterns = (public.urlpatterns + calls.urlpatterns + pipeline.urlpatterns
               + projects.urlpatterns + coaching.urlpatterns + data.urlpatterns)
