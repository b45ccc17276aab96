import os

from django.core.wsgi import get_wsgi_application

from config.startup import refuse_unsafe_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
refuse_unsafe_settings()  # before anything loads: one line on stderr, no traceback
application = get_wsgi_application()
