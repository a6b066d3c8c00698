"""e-Santunan settings: one module, everything that differs between machines
comes from the environment (see the configuration table in docs/ti/konfigurasi.md)."""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read a setting, also from NAME_FILE so secrets can live in mounted files."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "0") -> bool:
    return env(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(env(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envnetworks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated CIDRs ("10.20.0.0/16, 127.0.0.1/32"); a typo stops the start."""
    try:
        return [ipaddress.ip_network(item, strict=False) for item in envlist(name)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


DEBUG = envbool("DEBUG")
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: generate once and keep it beside the SQLite file, outside git,
    # so sessions survive a restart of the development server.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The refused-form page renders even if the request got no user (config/error_pages.py).
CSRF_FAILURE_VIEW = "config.error_pages.csrf_failure"

# Kemendagri code of the regency this installation serves (33.25 = Kabupaten Batang).
REGENCY_CODE = env("REGENCY_CODE", "33.25")
REGENCY_NAME = env("REGENCY_NAME", "Kabupaten Batang")
OFFICE_NAME = env("OFFICE_NAME", "Dinas Sosial")
OFFICE_ADDRESS = env("OFFICE_ADDRESS", "Jl. Jend. Sudirman No. 1, Batang")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_fsm",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_prometheus",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "villages",
    "santunan",
    "dinsos_sync",
    "office",
    "reports",
    "notifications",
    "webhooks",
    "filestore",
    "backups",
    "operations",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First: every later line of the request's log carries its id (config/logs.py).
    "config.logs.RequestIdMiddleware",
    # Requests by view, method and status for /metrics (config/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # current_regency() reads the database once per request.
    "villages.middleware.RegencyCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): whether this session passed a second factor; the
    # person's roles and language are read in the same query (accounts/person.py).
    "accounts.person.PersonMiddleware",
    # Roles that handle money or users go nowhere before their second factor.
    "accounts.middleware.SecondFactorMiddleware",
    # After authentication: a logged-in person's saved language comes first.
    "config.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Responses that show personal data are kept out of every cache.
    "config.security.NoStoreMiddleware",
    # A body over the limit is refused before anything reads it: the first reader is
    # the CSRF check's process_view, which runs only after the request half of every
    # middleware. Below the ones that set headers, so the 413 leaves through them and
    # carries the same headers as every other answer.
    "config.security.RequestSizeLimitMiddleware",
    # With DEBUG too, an unknown address gets the site's own 404 page (config/error_pages.py).
    "config.error_pages.NotFoundPageMiddleware",
    # Last, as django-axes requires: it answers a locked-out login with its page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "villages.context_processors.navigation",
                # help_url: the "Bantuan" link to the guide section for this page.
                "config.help.help_link",
            ],
        },
    },
]

# Tests and the whole-system test: a variable missing in one of our templates raises
# instead of printing nothing (config/strict_templates.py).
if envbool("TEMPLATE_STRICT"):
    from config.strict_templates import enable as enable_strict_templates

    enable_strict_templates(TEMPLATES)

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'esantunan.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the
    # write lock up front and the timeout makes a second writer wait for it instead
    # of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # The archive index's included columns serve PostgreSQL's index-only scans; SQLite
    # keeps the index without them, which is all the demo and the tests need.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Test databases are named per process so that several test runs on one machine (and
# one PostgreSQL server) never destroy each other's database. SQLite tests use a file,
# not memory, so the live server thread of browser tests shares it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any attempt while the account or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Their messages come in Bahasa Indonesia from Django's own catalogue.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A reset link the administrator hands over works once (it dies with the password it
# replaces) and for at most this long.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_HOURS", "72") * 3600
# "Lupa kata sandi?" (accounts/password_reset.py): a code to the registered phone, valid
# this many minutes; at most this many codes per account and requests per address an hour.
PASSWORD_RESET_CODE_MINUTES = envint("PASSWORD_RESET_CODE_MINUTES", "15")
PASSWORD_RESET_PER_ACCOUNT = envint("PASSWORD_RESET_PER_ACCOUNT", "3")
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", "10")

# Login throttling (django-axes and accounts/throttle.py). A whole office shares one NAT
# address, so LOGIN_FAILURE_LIMIT wrong passwords lock the pair (account, address) for
# LOGIN_LOCKOUT_MINUTES, never the address: colleagues and the administrator still log in
# from there. An address is slowed as a whole only after LOGIN_SPRAY_FAILURES failures
# across LOGIN_SPRAY_ACCOUNTS accounts in LOGIN_SPRAY_HOURS (password spraying), from one
# minute doubling with each further failure up to LOGIN_SPRAY_MAX_MINUTES. Unlock: the
# users list ("Buka kunci login") or `manage.py unlock_login USERNAME | --address IP`.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_SPRAY_FAILURES = envint("LOGIN_SPRAY_FAILURES", "30")
LOGIN_SPRAY_ACCOUNTS = envint("LOGIN_SPRAY_ACCOUNTS", "10")
LOGIN_SPRAY_HOURS = envint("LOGIN_SPRAY_HOURS", "24")
LOGIN_SPRAY_MAX_MINUTES = envint("LOGIN_SPRAY_MAX_MINUTES", "1440")
AXES_HANDLER = "accounts.throttle.LoginHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # what the spraying throttle counts
# A refused attempt is not a new failure: people behind a slowed address who keep trying
# do not lengthen the wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "santunan.access.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # unlocking is an action on the users list (accounts/admin.py)
AXES_VERBOSE = False  # lockouts are logged once, by accounts (see accounts/apps.py)
# Content-Security-Policy (django-csp): scripts, styles and images from this site only,
# no inline script or style anywhere (they live in static/). Uploaded documents get a
# stricter policy of their own (santunan/uploads.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The form token cookie is not for scripts (htmx reads the token from the page).
CSRF_COOKIE_HTTPONLY = True

# The API (/api/v1/, api/): bearer tokens, problem+json errors, cursor pages.
API_TOKEN_DEFAULT_DAYS = envint("API_TOKEN_DEFAULT_DAYS", "90")
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", "365")
# Requests per token; counted per server process (Django's local-memory cache).
API_THROTTLE_RATE = env("API_THROTTLE_RATE", "600/min")
API_IDEMPOTENCY_HOURS = envint("API_IDEMPOTENCY_HOURS", "24")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle_exception",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "e-Santunan API",
    "DESCRIPTION": "Klaim santunan kematian untuk aplikasi desa dan sistem kabupaten.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "santunan.models.Status",
        "BatchStatusEnum": "santunan.finance.models.BatchStatus",
        "DocumentKindEnum": "santunan.models.DocumentKind",
        "PayoutMethodEnum": "santunan.models.Claim.PayoutMethod",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
}

# Second factor: the authenticator app's name for this service.
OTP_TOTP_ISSUER = "e-Santunan"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
# Each language is named in itself so a reader can always find their own.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English with the day first in typed dates (config/formats/en): 05/11 is 5 November.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# The documentation site built by `make docs` (mkdocs.yml), served at /panduan/.
DOCS_SITE_DIR = Path(env("DOCS_SITE_DIR", str(BASE_DIR / "docs_site")))
# Django's technical 404 page instead of the site's when DEBUG is on (for developers).
DEBUG_TECHNICAL_404 = envbool("DEBUG_TECHNICAL_404")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = None
# Uploaded documents, letters and reports hold personal data. They live under
# MEDIA_ROOT ("filesystem", one app server) or in an S3-compatible bucket shared by
# several app servers and workers ("s3"); neither is served by address, a
# permission-checked view streams them (filestore/storage.py).
DOCUMENT_STORAGE = env("DOCUMENT_STORAGE", "filesystem")
S3_BUCKET = env("S3_BUCKET")
DOCUMENT_BACKENDS = {"filesystem": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
if S3_BUCKET:
    DOCUMENT_BACKENDS["s3"] = {
        "BACKEND": "filestore.storage.DocumentS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            # Several installations can share one bucket, each under its own prefix.
            "location": env("S3_PREFIX").strip("/"),
            # "path" for most S3-compatible servers (MinIO, Ceph, Garage), "virtual" for AWS.
            "addressing_style": env("S3_ADDRESSING_STYLE", "path"),
            # Empty for servers that refuse ACL headers (objects stay private by default).
            "default_acl": env("S3_ACL", "private") or None,
            "connect_timeout": float(env("S3_CONNECT_TIMEOUT", "5")),
            "read_timeout": float(env("S3_READ_TIMEOUT", "60")),
        },
    }
if DOCUMENT_STORAGE not in DOCUMENT_BACKENDS:
    raise ImproperlyConfigured(
        "DOCUMENT_STORAGE must be 'filesystem' or 's3' (and 's3' needs S3_BUCKET)."
    )
STORAGES = {
    "default": DOCUMENT_BACKENDS[DOCUMENT_STORAGE],
    # Both backends by name, for `move_documents` between them.
    **DOCUMENT_BACKENDS,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Claims: limits that differ between regencies and banks.
MAX_DOCUMENT_BYTES = envint("MAX_DOCUMENT_MB", "10") * 1024 * 1024
# Pixels an uploaded image may have (a 48-megapixel phone photo passes); beyond that
# decoding it would take gigabytes of memory. Pillow refuses twice this everywhere.
MAX_IMAGE_PIXELS = envint("MAX_IMAGE_MEGAPIXELS", "50") * 1_000_000
# Request bodies larger than this are refused from their Content-Length before a byte
# is read (config.middleware.RequestSizeLimitMiddleware): a few documents at once.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_MB", "50") * 1024 * 1024
# Registry extracts are larger: their upload page has its own limit.
MAX_REGISTRY_UPLOAD_BYTES = envint("MAX_REGISTRY_UPLOAD_MB", "500") * 1024 * 1024
BANK_ACCOUNT_LENGTHS = (envint("BANK_ACCOUNT_MIN_DIGITS", "10"), envint("BANK_ACCOUNT_MAX_DIGITS", "16"))

# Registry sync (dinsos_sync): the social registry (DTKS/DTSEN) and the population
# registry (Dukcapil). With a URL set, the cross-check asks that registry's HTTP API;
# without one it reads the latest file extract loaded with `import_registry`.
SOCIAL_REGISTRY_URL = env("SOCIAL_REGISTRY_URL")
SOCIAL_REGISTRY_TOKEN = env("SOCIAL_REGISTRY_TOKEN")
POPULATION_REGISTRY_URL = env("POPULATION_REGISTRY_URL")
POPULATION_REGISTRY_TOKEN = env("POPULATION_REGISTRY_TOKEN")
REGISTRY_CONNECT_TIMEOUT = float(env("REGISTRY_CONNECT_TIMEOUT", "5"))
REGISTRY_READ_TIMEOUT = float(env("REGISTRY_READ_TIMEOUT", "20"))
REGISTRY_RETRIES = envint("REGISTRY_RETRIES", "3")  # further attempts after the first
REGISTRY_BACKOFF = float(env("REGISTRY_BACKOFF", "1"))  # seconds, doubled per attempt
REGISTRY_MAX_RETRY_AFTER = envint("REGISTRY_MAX_RETRY_AFTER", "60")  # longest 429 wait, s
# Whole-call limits: one API call (retries included) ends after REGISTRY_CALL_DEADLINE
# seconds, a cross-check run stops asking after REGISTRY_RUN_BUDGET seconds (what is left
# stays pending), an answer above REGISTRY_MAX_RESPONSE_MB is refused, and at most
# REGISTRY_CONCURRENCY lookups of 100 NIKs are in flight at once.
REGISTRY_CALL_DEADLINE = float(env("REGISTRY_CALL_DEADLINE", "60"))
REGISTRY_RUN_BUDGET = float(env("REGISTRY_RUN_BUDGET", "900"))
REGISTRY_MAX_RESPONSE_BYTES = int(float(env("REGISTRY_MAX_RESPONSE_MB", "5")) * 1024 * 1024)
REGISTRY_CONCURRENCY = envint("REGISTRY_CONCURRENCY", "4")
# A file with a larger share of bad rows is refused whole (0.01 = 1 %).
REGISTRY_MAX_BAD_SHARE = float(env("REGISTRY_MAX_BAD_SHARE", "0.01"))
# A registry record older than this many months is reported to the verifier.
REGISTRY_STALE_MONTHS = envint("REGISTRY_STALE_MONTHS", "12")
# Names at least this similar (0–100, after Indonesian normalisation) count as the same.
REGISTRY_NAME_MIN_SCORE = envint("REGISTRY_NAME_MIN_SCORE", "90")
# Loaded snapshots kept per source (the active one and the one before it).
REGISTRY_KEEP_SNAPSHOTS = envint("REGISTRY_KEEP_SNAPSHOTS", "2")
# A load that has not reported for this many seconds (or whose process is gone) failed.
REGISTRY_LOAD_HEARTBEAT = envint("REGISTRY_LOAD_HEARTBEAT", "300")
# A claim whose registry check could not finish is retried this often by the worker.
REGISTRY_CHECK_ATTEMPTS = envint("REGISTRY_CHECK_ATTEMPTS", "6")
# Extracts whose headers differ from the default layout: "nik=NIK,nama=NAMA_LGKP,...".
REGISTRY_COLUMNS = {
    source: dict(pair.split("=", 1) for pair in envlist(f"{source.upper()}_REGISTRY_COLUMNS"))
    for source in ("social", "population")
}

# Finance (santunan/finance): payout letters, PDF documents, bank files.
# Letter number of a payout batch; {seq} is the gapless yearly sequence, {year} the year.
FINANCE_LETTER_PATTERN = env("FINANCE_LETTER_PATTERN", "460/{seq}/SANT/{year}")
# Defaults only: the administrator keeps the letterhead, the officials and the budget
# account codes in the database (the `office` app); these apply while it holds none.
# Optional letterhead logo (PNG/JPEG/SVG path) printed left of the kop surat.
LETTERHEAD_LOGO = env("LETTERHEAD_LOGO")
# Where letters are signed ("Batang, 27 November 2026") and who signs them. The head
# of office's name and NIP are recorded on each batch when it is signed; the treasurer
# (bendahara pengeluaran, appointed by decree) is one person per office.
LETTER_PLACE = env("LETTER_PLACE", "Batang")
OFFICE_HEAD_TITLE = env("OFFICE_HEAD_TITLE", f"Kepala {OFFICE_NAME}")
TREASURER_NAME = env("TREASURER_NAME")
TREASURER_NIP = env("TREASURER_NIP")
# Where the QR codes on printed letters point: the public address of this service.
# Required in production (`check --deploy` reports it missing): a letter printed with
# the development address would send whoever scans it to their own computer.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
# A batch with more claims than this renders its documents in the background worker.
FINANCE_BACKGROUND_MIN_CLAIMS = envint("FINANCE_BACKGROUND_MIN_CLAIMS", "50")
# Processes that render PDFs side by side for a large batch (weasyprint uses one core).
FINANCE_RENDER_PROCESSES = envint("FINANCE_RENDER_PROCESSES", str(min(os.cpu_count() or 1, 4)))
# The regional bank's bulk-transfer CSV: "field=Header" pairs in column order; fields are
# account, holder, amount, reference, bank. The last row carries the control total.
BANK_TRANSFER_COLUMNS = envlist(
    "BANK_TRANSFER_COLUMNS",
    "account=No Rekening,holder=Nama Penerima,amount=Nominal,reference=Referensi,bank=Bank",
)
BANK_CSV_DELIMITER = env("BANK_CSV_DELIMITER", ",")
BANK_CONTROL_LABEL = env("BANK_CONTROL_LABEL", "TOTAL")
# The bank's result file: "field=Header" for reference, account, amount, status, date,
# bank_reference, reason; and the status values that mean the transfer went through.
BANK_RESULT_COLUMNS = envlist(
    "BANK_RESULT_COLUMNS",
    "reference=Referensi,account=No Rekening,amount=Nominal,status=Status,"
    "date=Tanggal,bank_reference=No Referensi Bank,reason=Keterangan",
)
BANK_RESULT_SUCCESS = envlist("BANK_RESULT_SUCCESS", "BERHASIL,SUKSES,SUCCESS,OK")
BANK_RESULT_FAILURE = envlist("BANK_RESULT_FAILURE", "GAGAL,FAILED,DITOLAK,REJECT")

# Messages to heirs, villages and verifiers (notifications). Without a gateway URL
# messages are written to the outbox but not sent. The JSON contract is in
# notifications/gateway.py; `manage.py run_fake_sms_gateway` implements it.
NOTIFY_GATEWAY_URL = env("NOTIFY_GATEWAY_URL")
NOTIFY_GATEWAY_TOKEN = env("NOTIFY_GATEWAY_TOKEN")
NOTIFY_SENDER_ID = env("NOTIFY_SENDER_ID", "DINSOS-BTG")
# Shared with the gateway: delivery reports are signed with it (HMAC-SHA256).
NOTIFY_CALLBACK_SECRET = env("NOTIFY_CALLBACK_SECRET", "dev-callback-secret" if DEBUG else "")
NOTIFY_GATEWAY_TIMEOUT = float(env("NOTIFY_GATEWAY_TIMEOUT", "10"))
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", "8")
NOTIFY_RETRY_BACKOFF = float(env("NOTIFY_RETRY_BACKOFF", "30"))  # seconds, doubled per attempt
NOTIFY_MAX_RETRY_AFTER = envint("NOTIFY_MAX_RETRY_AFTER", "3600")  # longest wait, s
# A message left "sending" this long by a worker that died is checked and sent again
# (the gateway drops a repeated idempotency key). Longer than the gateway timeout.
NOTIFY_SENDING_LEASE = envint("NOTIFY_SENDING_LEASE", "120")
# Drafts are reminded once in each of these windows of days before the deadline.
NOTIFY_DEADLINE_DAYS = [int(day) for day in envlist("NOTIFY_DEADLINE_DAYS", "14,7,3,1")]
NOTIFY_CASH_HOURS = env("NOTIFY_CASH_HOURS", "Senin-Jumat 08.00-14.00")
# Public status page: wrong tries per minute, per address and per claim number.
STATUS_PAGE_MAX_WRONG = envint("STATUS_PAGE_MAX_WRONG", "20")

# Webhooks (webhooks/): every claim status change is posted, signed, to the addresses the
# administrator registers. A failed attempt is retried after WEBHOOK_RETRY_BACKOFF
# seconds, doubled each time up to WEBHOOK_MAX_RETRY_DELAY; after WEBHOOK_MAX_ATTEMPTS
# attempts (16: about two days) the delivery is given up.
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "5"))  # seconds per connect/read
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", "16")
WEBHOOK_RETRY_BACKOFF = float(env("WEBHOOK_RETRY_BACKOFF", "60"))
WEBHOOK_MAX_RETRY_DELAY = float(env("WEBHOOK_MAX_RETRY_DELAY", "21600"))
# A delivery taken by a worker that died is posted again after this many seconds
# (longer than the timeout; the receiver drops the copy by its delivery id).
WEBHOOK_SENDING_LEASE = envint("WEBHOOK_SENDING_LEASE", "60")
# Webhook receivers on loopback or private addresses (the regency's own servers) are
# refused unless their network is listed here; link-local, metadata, multicast and
# unspecified addresses stay refused whatever is listed (config/outbound.py).
WEBHOOK_ALLOWED_NETWORKS = envnetworks("WEBHOOK_ALLOWED_NETWORKS")

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security: production runs behind HTTPS; `check --deploy` must print nothing.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", "0" if DEBUG else "1")
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", "0" if DEBUG else "1")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0" if DEBUG else "1")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0" if DEBUG else "1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
X_FRAME_OPTIONS = "DENY"

# Running it: /healthz fails the worker when a task has waited longer than this many
# seconds and none finished meanwhile; /metrics answers only with this token (unset: 404).
HEALTH_WORKER_MAX_AGE = envint("HEALTH_WORKER_MAX_AGE", "900")
METRICS_TOKEN = env("METRICS_TOKEN")
# A task still "running" this many seconds after a worker took it, on another machine,
# is taken for abandoned and queued again by the next `run_worker` to start
# (operations/services.py); on the same machine a dead worker's tasks are at once.
TASK_RUNNING_LEASE = envint("TASK_RUNNING_LEASE", "3600")
# Indonesia's public holidays from the built-in calendar, this year and the next, after
# every migrate and when run_worker starts (santunan/holidays.py). 0 leaves the table to
# `load_holidays` and the administration alone (the test suite counts fixed calendars).
HOLIDAYS_AUTOLOAD = envbool("HOLIDAYS_AUTOLOAD", "1")

# Logs: one JSON object per line in production (config/logs.py), readable text in
# development; either way 16-digit numbers and phone numbers are masked.
LOG_FORMAT = env("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "personal_data": {"()": "config.logs.PersonalDataFilter"},
        "foreign_host": {"()": "config.logs.ForeignHostFilter"},
    },
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A foreign Host header: one warning line, no traceback (config/logs.py).
        "django.security.DisallowedHost": {"filters": ["foreign_host"]},
        # Every login would be a line; lockouts are logged by `accounts`.
        "axes": {"level": "WARNING"},
        # One line per request, in JSON only (the development server logs its own).
        "esantunan.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # Its own request line would repeat the one above, with the query string.
        "django.server": {"level": "WARNING" if LOG_FORMAT == "json" else "INFO"},
    },
}
