"""Demo people: the logins `make run` prints, all with the password "demo"."""

from django.contrib.auth.hashers import make_password

from rapport import access
from rapport.access.models import Grant, Role
from rapport.access.scopes import Scope

from .models import Team, User

DEMO_PASSWORD = "demo"

# role -> scope per action, applied to every registered module
DEMO_ROLES = {
    "Sales manager": {"view": Scope.OWN, "create": Scope.OWN, "edit": Scope.OWN, "delete": Scope.OWN,
                      "export": Scope.OWN},
    "Sales rep": {"view": Scope.OWN, "create": Scope.OWN, "edit": Scope.OWN, "delete": Scope.OWN,
                  "export": Scope.OWN},
    "Service agent": {"view": Scope.ALL, "create": Scope.ALL, "edit": Scope.ALL},
    "Marketer": {"view": Scope.ALL, "export": Scope.ALL},
}

DEMO_USERS = [
    # username, display name, email, role, team, manager, department, superuser
    ("admin", "Ada Admin", "admin@example.com", None, None, None, "IT", True),
    ("manager", "Mia Manager", "manager@example.com", "Sales manager", "Sales East", None, "Sales", False),
    ("rep1", "Ray Rep", "rep1@example.com", "Sales rep", "Sales East", "manager", "Sales", False),
    ("rep2", "王芳", "rep2@example.com", "Sales rep", "Sales East", "manager", "Sales", False),
    ("agent", "Sam Agent", "agent@example.com", "Service agent", "Service", None, "Service", False),
    ("marketer", "李娜", "marketer@example.com", "Marketer", "Marketing", None, "Marketing", False),
]
# At scale (`demo --size 1m`) a sales force around them, so that rep1's 20% share stands out.
EXTRA_REPS_AT_SCALE = 18
EXTRA_REP_NAMES = ["张伟", "Olivia Chen", "刘洋", "Noah Schmidt", "陈静", "Emma Wilson", "杨磊", "Liam Brown",
                   "黄敏", "Sophia Garcia", "赵勇", "Lucas Miller", "周婷", "Mia Davis", "吴强", "Ethan Taylor",
                   "徐欣怡", "Ava Moore", "孙杰", "Leo Martin"]
EXTRA_TEAMS = [("Sales North", "Sales"), ("华南销售部", "Sales")]


def generate(context: dict) -> None:
    roles = {name: _role(name, scopes) for name, scopes in DEMO_ROLES.items()}
    teams = {}
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for username, name, email, role, team, manager, department, superuser in DEMO_USERS:
        if team and team not in teams:
            teams[team] = Team.objects.create(name=team, department=department)
        users[username] = User.objects.create(
            username=username, display_name=name, email=email, password=password,
            role=roles.get(role), team=teams.get(team), manager=users.get(manager), department=department,
            is_superuser=superuser, is_staff=superuser,
        )
    if context.get("scale"):
        users.update(_extra_reps(users, roles["Sales rep"], teams, password))
    context["users"] = users


def _extra_reps(users: dict, role: Role, teams: dict, password: str) -> dict[str, User]:
    team_list = [teams["Sales East"], *(Team.objects.create(name=name, department=department)
                                        for name, department in EXTRA_TEAMS)]
    reps = User.objects.bulk_create(
        User(username=f"rep{number}", display_name=EXTRA_REP_NAMES[number % len(EXTRA_REP_NAMES)],
             email=f"rep{number}@example.com", password=password, role=role,
             team=team_list[number % len(team_list)], manager=users["manager"], department="Sales")
        for number in range(3, 3 + EXTRA_REPS_AT_SCALE)
    )
    return {rep.username: rep for rep in reps}


def _role(name: str, scopes: dict) -> Role:
    role = Role.objects.create(name=name)
    Grant.objects.bulk_create(
        Grant(role=role, module=module.name, action=action, scope=scopes.get(action, Scope.NONE))
        for module in access.modules for action in module.actions
    )
    return role
