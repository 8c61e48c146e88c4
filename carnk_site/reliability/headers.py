"""Headers Django does not set itself: Permissions-Policy, and the admin's style allowance in the CSP.

django-csp sends the strict policy from settings.CONTENT_SECURITY_POLICY. The Django admin and
reversion-compare templates use inline style attributes and <style> blocks (never inline scripts),
so admin pages get 'unsafe-inline' added to style-src, and nothing else. Readers' pages never do.
"""

from django.conf import settings

ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"]}


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_admin(request):
            response._csp_update = ADMIN_CSP_UPDATE
        return response


def is_admin(request):
    return request.path_info.startswith(f"/{settings.ADMIN_PATH}")
