"""Django's permission checks (used by its admin site) answer from our roles too.

So the administrator role alone opens the admin site's models: no separate "superuser" flag
to keep in step with the role assignments. It also reads each request's user, with its roles.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import Role, User
from .permissions import has_role, keep_grants, users_with_grants


class RoleBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a request, read with its roles (one query, not two)."""
        try:
            user = users_with_grants().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return keep_grants(user) if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return has_role(user_obj, Role.ADMIN) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return has_role(user_obj, Role.ADMIN) or super().has_module_perms(user_obj, app_label)
