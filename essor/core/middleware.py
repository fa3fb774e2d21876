class SecurityHeadersMiddleware:
    """Content security policy: only this site's own scripts, styles, fonts and images."""

    POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "script-src 'self'; font-src 'self'; frame-ancestors 'none'; "
              "form-action 'self'; base-uri 'self'; object-src 'none'")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/docs/"):
            return response  # the bundled Swagger UI needs its own inline script
        response.setdefault("Content-Security-Policy", self.POLICY)
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=()")
        return response
