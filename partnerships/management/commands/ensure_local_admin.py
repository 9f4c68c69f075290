import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create a local superuser with a generated password, printed once. "
        "Does nothing if the account exists. For development machines only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="host:port the development server listens on, for the sign-in address.",
        )

    def handle(self, *args, username, address, **options):
        sign_in = f"Sign in at http://{address}/admin/"
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a local admin account with DJANGO_DEBUG off; "
                "use 'manage.py createsuperuser' on a production database."
            )
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account '{username}' already exists; its password was printed when it "
                f"was created. To set a new one: .venv/bin/python manage.py changepassword {username}\n"
                f"{sign_in}"
            )
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account '{username}' with password: {password}\n"
                f"It is shown only this once. {sign_in}"
            )
        )
