"""Signals other apps listen to, so evaluations never imports them."""

from django.dispatch import Signal

# Sent by `manage.py load_demo` inside its transaction once the sample forms and the demo accounts exist;
# receivers add their own demo data and return a line for the command to print (or None).
demo_loaded = Signal()
