# The simulated users of `npm run load` (Debian's python3-locust; scripts/load.ts starts it
# headless, bounded by --run-time, and reads what it leaves in DG_LOAD_OUT).
#
# Each user logs in with its own session and talks to Odoo as the web client does: JSON-RPC on
# /web/dataset/call_kw (and call_button for buttons), its user context, the views' fields read
# from get_views. What they do, by role (scripts/load/prepare.py makes the users):
#   approver, manager: the KPI dashboard, the systray, the To Decide list, a request's credit
#       and price panels, then approve from the panel (reloaded at once: it must show the
#       decision) or reject through the list's button and its dialog;
#   warehouse (and managers): the triage kanban (grouped by state, with its progress bars and
#       header counts), the list, an exception's panel on its document, take ownership of an
#       unassigned exception, resolve one through the resolve dialog;
#   rep: the dashboard, the systray, the exceptions list, the credit panel of a held order.
# A decision or resolution another user made first is refused by the server ("no longer
# pending", "already resolved"): the users count those apart, as races the server settled, not
# as errors. Everything else the server refuses is a failure in Locust's statistics.
#
# DG_LOAD_OUT receives, when the run stops: each call's response times (ms, by call type), each
# decision and resolution attempted with its outcome, and the panels that did not show a
# decision just made (read-your-writes).
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

CONFIG = json.load(open(os.environ["DG_LOAD_CONFIG"]))
DB = CONFIG["db"]
RESOLUTIONS = {int(k): v for k, v in CONFIG["resolutions"].items()}
CREDIT_HOLD_TYPE = CONFIG["credit_hold_type"]
OPEN = [["state", "in", ["new", "in_progress"]]]
EXCEPTION = "distribution.exception"
REQUEST = "distribution.approval.request"
# Odoo's own answers when another user decided or resolved first (the server settled the race)
RACE = re.compile(
    r"is no longer pending|already decided this request|is already (Resolved|Cancelled)"
    r"|already belongs to"
)

logins = {role: [u["login"] for u in CONFIG["users"] if u["role"] == role] for role in
          ("approver", "manager", "warehouse", "rep")}
timings = {}
actions = []
stale_panels = []
# the users whose session and views loaded (a user whose start failed does nothing after)
started = []
ids = itertools.count(1)


@events.request.add_listener
def _on_request(name, response_time, exception, **kwargs):
    if exception is None:
        timings.setdefault(name, []).append(response_time)


@events.test_stop.add_listener
def _on_stop(**kwargs):
    with open(os.environ["DG_LOAD_OUT"], "w") as out:
        json.dump({"timings": timings, "actions": actions, "stale_panels": stale_panels,
                   "started": started}, out)


class Refused(Exception):
    """The server refused the call; `race` when another user acted first."""

    def __init__(self, message, race):
        super().__init__(message)
        self.race = race


def spec_of(arch, fields):
    """The fields specification the web client sends for a view: its fields, many2ones with
    their display name."""
    spec = {}
    for name in re.findall(r'<field name="(\w+)"', arch):
        field = fields.get(name)
        if not field:
            continue
        if field["type"] == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            spec[name] = {"fields": {}}
        else:
            spec[name] = {}
    return spec


class OdooUser(HttpUser):
    abstract = True
    # a person reads the screen before the next action
    wait_time = between(5, 15)
    role = ""

    def on_start(self):
        self.login = logins[self.role].pop()
        # one connection per request, as Odoo behind its reverse proxy (nginx speaks HTTP/1.0
        # to it): a kept-alive connection would hold one of the 4 workers while its user thinks
        self.client.headers["Connection"] = "close"
        reply = self.post("/web/session/authenticate", "login", {
            "db": DB, "login": self.login, "password": self.login,
        })
        self.uid = reply["uid"]
        self.user_context = dict(reply["user_context"], allowed_company_ids=[CONFIG["company_id"]])
        self.exception_views = self.views(EXCEPTION, ["kanban", "list"])
        if self.role in ("approver", "manager"):
            self.request_views = self.views(REQUEST, ["list"])
        started.append(self.login)

    # ------------------------------------------------------------------ transport

    def post(self, route, name, params, race_ok=False):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(ids), "params": params}
        with self.client.post(route, json=payload, name=name, catch_response=True) as response:
            try:
                body = response.json()
            except ValueError:
                # status 0: no answer (the connection failed: Locust keeps the cause in .error)
                response.failure(f"HTTP {response.status_code}: "
                                 f"{response.error or (response.text or '')[:200]}")
                raise Refused(f"HTTP {response.status_code}", False) from None
            error = body.get("error")
            if not error:
                response.success()
                return body.get("result")
            data = error.get("data") or {}
            message = f"{data.get('name', 'Error')}: {data.get('message') or error.get('message')}"
            race = bool(race_ok and RACE.search(message))
            if race:
                response.success()
            else:
                response.failure(message[:300])
            raise Refused(message, race)

    def call(self, name, model, method, args=(), kwargs=None, button=False, race_ok=False):
        kwargs = dict(kwargs or {})
        kwargs["context"] = dict(self.user_context, **kwargs.get("context", {}))
        route = "/web/dataset/call_button" if button else f"/web/dataset/call_kw/{model}/{method}"
        return self.post(route, name, {"model": model, "method": method, "args": list(args),
                                       "kwargs": kwargs}, race_ok=race_ok)

    def views(self, model, types):
        result = self.call("open menu: get_views (once per user)", model, "get_views", [],
                           {"views": [[False, t] for t in types] + [[False, "search"]],
                            "options": {"load_filters": True, "toolbar": True}})
        fields = result["models"][model]["fields"]
        return {t: spec_of(result["views"][t]["arch"], fields) for t in types}

    # ------------------------------------------------------------------ screens

    def dashboard(self):
        self.call("KPI dashboard: get_kpi_dashboard", "distribution.dashboard",
                  "get_kpi_dashboard", [{}])

    def systray(self):
        self.call("systray: get_systray_data", EXCEPTION, "get_systray_data")

    def triage_kanban(self, domain=OPEN):
        """The To Triage board: grouped by state, each open column's first cards, the SLA
        progress bars, the header's counts."""
        spec = self.exception_views["kanban"]
        groups = self.call("exceptions kanban: web_read_group", EXCEPTION, "web_read_group", [], {
            "domain": domain, "fields": [], "groupby": ["state"], "lazy": True,
        })
        self.call("exceptions kanban: read_progress_bar", EXCEPTION, "read_progress_bar", [], {
            "domain": domain, "group_by": "state",
            "progress_bar": {"field": "sla_status", "colors": {
                "breached": "danger", "at_risk": "warning", "on_track": "success"}},
        })
        self.call("exceptions kanban: get_triage_counts", EXCEPTION, "get_triage_counts")
        records = []
        for group in groups["groups"]:
            if group.get("__fold") or not group.get("state_count", group.get("__count")):
                continue
            page = self.call("exceptions kanban: web_search_read (column)", EXCEPTION,
                             "web_search_read", [], {
                                 "domain": group["__domain"], "specification": spec,
                                 "offset": 0, "limit": 40, "order": "", "count_limit": 10001,
                             })
            records += page["records"]
        return records

    def triage_board(self):
        """The board as the warehouse staff search it: one of their exception types (the
        oldest deadlines of the whole board are credit holds, which close with the credit
        decision)."""
        type_id = random.choice(CONFIG["warehouse_types"])
        return self.triage_kanban(OPEN + [["type_id", "=", type_id]])

    def triage_list(self):
        page = self.call("exceptions list: web_search_read", EXCEPTION, "web_search_read", [], {
            "domain": OPEN, "specification": self.exception_views["list"], "offset": 0,
            "limit": 80, "order": "", "count_limit": 10001,
        })
        return page["records"]

    def to_decide(self):
        page = self.call("approvals To Decide: web_search_read", REQUEST, "web_search_read", [], {
            "domain": [["can_decide", "=", True]], "specification": self.request_views["list"],
            "offset": 0, "limit": 80, "order": "", "count_limit": 10001,
        })
        return [r for r in page["records"] if r.get("can_decide")]

    def request_panels(self, request_id):
        panel = self.call("panel: credit (get_panel_data)", REQUEST, "get_panel_data",
                          [REQUEST, request_id])
        self.call("panel: price (get_price_panel_data)", REQUEST, "get_price_panel_data",
                  [REQUEST, request_id])
        return panel

    # ------------------------------------------------------------------ decisions

    def record(self, kind, record_id, outcome, detail=""):
        actions.append({"kind": kind, "id": record_id, "login": self.login, "uid": self.uid,
                        "outcome": outcome, "detail": detail[:300], "at": time.time()})

    def attempt(self, kind, record_id, steps):
        """Runs a decision's calls; records whether the server took it, refused it because
        another user acted first, or failed."""
        try:
            steps()
        except Refused as refusal:
            self.record(kind, record_id, "race" if refusal.race else "error", str(refusal))
            return False
        except Exception as error:  # noqa: BLE001 - the transport failed: outcome unknown
            self.record(kind, record_id, "unknown", repr(error))
            raise
        self.record(kind, record_id, "ok")
        return True

    def decide(self):
        rows = self.to_decide()
        if not rows:
            return
        request = random.choice(rows)
        request_id = request["id"]
        try:
            self.request_panels(request_id)
        except Refused:
            return
        if random.random() < 0.8:
            def approve():
                self.call("decide: approve (panel)", REQUEST, "action_approve", [[request_id]],
                          {"reason": f"Load test: {self.login}"}, race_ok=True)
            if self.attempt("approve", request_id, approve):
                # the panel reloads after the decision: it must show it (read-your-writes)
                panel = self.call("panel: credit after the decision", REQUEST, "get_panel_data",
                                  [REQUEST, request_id])
                row = panel.get("request") or {}
                if row.get("can_decide"):
                    stale_panels.append({"request": request_id, "login": self.login,
                                         "state": row.get("state")})
            return

        def reject():
            context = {"dg_decision": "reject"}
            action = self.call("decide: reject, open the dialog (call_button)", REQUEST,
                               "action_open_decision", [[request_id]], {"context": context},
                               button=True, race_ok=True)
            wizard_context = action["context"]
            saved = self.call("decide: reject, save the dialog (web_save)",
                              "distribution.approval.decision.wizard", "web_save",
                              [[], {"reason": f"Load test: {self.login} refuses"}],
                              {"specification": {}, "context": wizard_context})
            self.call("decide: reject, confirm (call_button)",
                      "distribution.approval.decision.wizard", "action_confirm",
                      [[saved[0]["id"]]], {"context": wizard_context}, button=True, race_ok=True)
        self.attempt("reject", request_id, reject)

    def take(self, records):
        free = [r for r in records if r.get("user_can_take") and not r.get("owner_id")]
        if not free:
            return
        exception_id = random.choice(free)["id"]
        self.attempt("take", exception_id, lambda: self.call(
            "exceptions: take ownership (call_button)", EXCEPTION, "action_take_ownership",
            [[exception_id]], button=True, race_ok=True))

    def resolve(self, records):
        candidates = [r for r in records if r.get("user_can_resolve")
                      and (r.get("type_id") or {}).get("id") != CREDIT_HOLD_TYPE]
        if not candidates:
            return
        exception = random.choice(candidates)
        exception_id = exception["id"]
        codes = RESOLUTIONS.get(exception["type_id"]["id"])
        if not codes:
            return

        def steps():
            action = self.call("resolve: open the dialog (call_button)", EXCEPTION,
                               "action_open_resolve_wizard", [[exception_id]], button=True,
                               race_ok=True)
            wizard = "distribution.exception.resolve.wizard"
            context = action["context"]
            spec = {"exception_ids": {}, "type_id": {}, "resolution_id": {},
                    "note_required": {}, "note": {}}
            self.call("resolve: dialog defaults (onchange)", wizard, "onchange",
                      [[], {}, [], spec], {"context": context})
            saved = self.call("resolve: save the dialog (web_save)", wizard, "web_save",
                              [[], {"resolution_id": random.choice(codes),
                                    "note": f"Load test: {self.login}"}],
                              {"specification": {}, "context": context})
            self.call("resolve: confirm (call_button)", wizard, "action_resolve",
                      [[saved[0]["id"]]], {"context": context}, button=True, race_ok=True)
        self.attempt("resolve", exception_id, steps)

    def exception_panel(self, records):
        linked = [r for r in records if r.get("picking_id") or r.get("sale_order_id")]
        if not linked:
            return
        record = random.choice(linked)
        model, field = (("stock.picking", "picking_id") if record.get("picking_id")
                        else ("sale.order", "sale_order_id"))
        self.call("panel: exceptions (get_panel_data)", EXCEPTION, "get_panel_data",
                  [model, record[field]["id"]])


def guarded(method):
    """A task whose refused calls are already counted (Locust failures, or races): the user
    goes on with its next task, as a person reads the message and carries on."""
    def run(self):
        try:
            method(self)
        except Refused:
            pass
    run.__name__ = method.__name__
    return run


class Approver(OdooUser):
    role = "approver"
    fixed_count = len(logins["approver"])

    @task(6)
    @guarded
    def decide_one(self):
        self.decide()

    @task(2)
    @guarded
    def look_at_dashboard(self):
        self.dashboard()

    @task(2)
    @guarded
    def look_at_systray(self):
        self.systray()


class Manager(OdooUser):
    role = "manager"
    fixed_count = len(logins["manager"])

    @task(3)
    @guarded
    def decide_one(self):
        self.decide()

    @task(2)
    @guarded
    def look_at_dashboard(self):
        self.dashboard()

    @task(1)
    @guarded
    def triage(self):
        self.triage_kanban()

    @task(1)
    @guarded
    def triage_and_resolve(self):
        self.resolve(self.triage_board())

    @task(1)
    @guarded
    def look_at_systray(self):
        self.systray()


class Warehouse(OdooUser):
    role = "warehouse"
    fixed_count = len(logins["warehouse"])

    @task(2)
    @guarded
    def triage_and_resolve(self):
        self.resolve(self.triage_board())

    @task(2)
    @guarded
    def triage_and_take(self):
        self.take(self.triage_board())

    @task(2)
    @guarded
    def list_and_panel(self):
        self.exception_panel(self.triage_list())

    @task(1)
    @guarded
    def look_at_systray(self):
        self.systray()


class Rep(OdooUser):
    role = "rep"
    fixed_count = len(logins["rep"])

    @task(2)
    @guarded
    def look_at_dashboard(self):
        self.dashboard()

    @task(2)
    @guarded
    def look_at_systray(self):
        self.systray()

    @task(3)
    @guarded
    def exceptions_and_panels(self):
        records = self.triage_list()
        self.exception_panel(records)
        held = [r for r in records if r.get("sale_order_id")]
        if held:
            self.call("panel: credit of an order (get_panel_data)", REQUEST, "get_panel_data",
                      ["sale.order", random.choice(held)["sale_order_id"]["id"]])
