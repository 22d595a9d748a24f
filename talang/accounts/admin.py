from django.contrib import admin

from talang.accounts.models import Membership, Municipality, PopulationFigure, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ["municipality", "reference_date", "count", "source"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    # Reading only: accounts change through the services (Users page, talang_user).
    list_display = ["full_name", "email", "is_active"]
    readonly_fields = ["email", "full_name", "is_active", "is_staff", "date_joined", "last_login"]
    exclude = ["password", "groups", "user_permissions", "is_superuser"]

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "municipality"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
