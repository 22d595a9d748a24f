from django.urls import path

from talang.reporting import budget_views, report_views, views

urlpatterns: list = [
    # The statistics dashboard, goals and the employer-found-staff record (views).
    path("staff/statistics/", views.dashboard, name="statistics"),
    path("staff/goals/", views.goals, name="goals"),
    path("staff/goals/<int:pk>/", views.goal_edit, name="goal-edit"),
    path("staff/goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
    path("staff/employers-found-staff/", views.employer_found_staff, name="employer-found-staff"),
    path(
        "staff/employers-found-staff/take-back/",
        views.employer_found_staff_take_back,
        name="employer-found-staff-take-back",
    ),
    path("staff/event-attendance/", views.event_attendance, name="event-attendance"),
    path(
        "staff/event-attendance/take-back/",
        views.event_attendance_take_back,
        name="event-attendance-take-back",
    ),
    # The quarterly report and the budget (report_views, budget_views).
    path("staff/reports/", report_views.report, name="reports"),
    path("staff/reports/pdf/", report_views.report_pdf_download, name="report-pdf"),
    path("staff/reports/xlsx/", report_views.report_xlsx_download, name="report-xlsx"),
    path("staff/budget/", budget_views.budget, name="budget"),
    path("staff/budget/lines/add/", budget_views.budget_line_add, name="budget-line-add"),
    path("staff/budget/lines/<int:pk>/", budget_views.budget_line_edit, name="budget-line"),
    path(
        "staff/budget/lines/<int:pk>/remove/",
        budget_views.budget_line_remove,
        name="budget-line-remove",
    ),
    path("staff/budget/copy/", budget_views.budget_copy, name="budget-copy"),
    path("staff/budget/outcome/", budget_views.budget_outcome, name="budget-outcome"),
]
