from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (`manage.py setup_demo`): the top layer, it imports every app and none imports it.
    No models, so no name shown in the admin."""

    name = "motcua.demo"
    label = "demo"
