"""Django's permission checks (used by its admin site) answer from our roles too.

So the administrator role alone opens the admin site's models: no separate "superuser" flag
to keep in step with the role assignments.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import Role
from .permissions import has_role


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return has_role(user_obj, Role.ADMIN) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return has_role(user_obj, Role.ADMIN) or super().has_module_perms(user_obj, app_label)
