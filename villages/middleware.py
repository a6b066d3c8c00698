from villages.selectors import close_regency_cache, regency_cache


class RegencyCacheMiddleware:
    """Lets current_regency() read the database once per request, however many pages,
    checks and the navigation ask."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = regency_cache()
        try:
            return self.get_response(request)
        finally:
            close_regency_cache(token)
