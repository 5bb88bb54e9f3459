import secrets

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch.

    Django's own middleware follows the browser's Accept-Language, so an English-language browser
    on a service-centre PC would get English unasked; here only the explicit choice (the language
    cookie set by /i18n/setlang/) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY`` on every response that has none of its own (an
    attachment download sets a stricter one). ``{nonce}`` in the policy becomes a fresh per-request
    nonce, available to templates as ``request.csp_nonce`` for the few inline ``<script>`` blocks;
    inline event handlers (``onclick=``) are not allowed at all.

    Paths starting with a key of ``CONTENT_SECURITY_POLICY_PATHS`` get that policy instead (the
    Swagger page loads its viewer from a CDN).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        policy = settings.CONTENT_SECURITY_POLICY
        for prefix, special in getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {}).items():
            if request.path.startswith(prefix):
                policy = special
                break
        if policy:
            response["Content-Security-Policy"] = policy.replace("{nonce}", request.csp_nonce)
        return response
