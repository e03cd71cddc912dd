/** @odoo-module */
import { SEVERITIES, STATES, stateLabel } from "@distribution_governance/exceptions/labels";
function defaultFilters() {
  return {
    mine: false,
    unassigned: false,
    breached: false,
    severities: [],
    type_ids: [],
    warehouse_ids: [],
    states: []
  };
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function idList(value) {
  return Array.isArray(value) ? value.filter((v) => Number.isInteger(v) && v > 0) : [];
}
function choiceList(value, allowed) {
  return Array.isArray(value) ? allowed.filter((choice) => value.includes(choice)) : [];
}
function normalizeFilters(raw) {
  const filters = defaultFilters();
  if (!isRecord(raw)) {
    return filters;
  }
  filters.mine = raw["mine"] === true;
  filters.unassigned = raw["unassigned"] === true && !filters.mine;
  filters.breached = raw["breached"] === true;
  filters.severities = choiceList(raw["severities"], SEVERITIES);
  filters.type_ids = idList(raw["type_ids"]);
  filters.warehouse_ids = idList(raw["warehouse_ids"]);
  filters.states = choiceList(raw["states"], STATES);
  return filters;
}
function toServerFilters(filters) {
  const out = {};
  for (const flag of ["mine", "unassigned", "breached"]) {
    if (filters[flag]) {
      out[flag] = true;
    }
  }
  if (filters.severities.length) {
    out.severities = [...filters.severities];
  }
  if (filters.type_ids.length) {
    out.type_ids = [...filters.type_ids];
  }
  if (filters.warehouse_ids.length) {
    out.warehouse_ids = [...filters.warehouse_ids];
  }
  if (filters.states.length) {
    out.states = [...filters.states];
  }
  return out;
}
function toggleFlag(filters, flag) {
  const next = { ...filters, [flag]: !filters[flag] };
  if (next[flag] && flag === "mine") {
    next.unassigned = false;
  } else if (next[flag] && flag === "unassigned") {
    next.mine = false;
  }
  return next;
}
function toggleValue(list, value, order) {
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return order ? order.filter((v) => next.includes(v)) : next;
}
function activeFilterCount(filters) {
  return Number(filters.mine) + Number(filters.unassigned) + Number(filters.breached) + Number(filters.severities.length > 0) + Number(filters.type_ids.length > 0) + Number(filters.warehouse_ids.length > 0) + Number(filters.states.length > 0);
}
function groupRows(rows, by, types = []) {
  const groups = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const key = by === "type" ? `type_${row.type_id}` : row.state;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        label: by === "type" ? row.type : stateLabel(row.state),
        rows: [],
        breached: 0
      };
      groups.set(key, group);
    }
    group.rows.push(row);
    if (row.sla_status === "breached") {
      group.breached++;
    }
  }
  const rank = (group) => {
    if (by === "state") {
      return STATES.indexOf(group.rows[0].state);
    }
    const index = types.findIndex((t) => t.id === group.rows[0].type_id);
    return index === -1 ? types.length : index;
  };
  return [...groups.values()].sort(
    (a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key)
  );
}
function flattenGroups(groups) {
  return groups.flatMap((g) => g.rows);
}
function moveFocus(ids, currentId, delta) {
  if (!ids.length) {
    return null;
  }
  const index = currentId === null ? -1 : ids.indexOf(currentId);
  if (index === -1) {
    return delta >= 0 ? ids[0] : ids[ids.length - 1];
  }
  const next = Math.min(ids.length - 1, Math.max(0, index + delta));
  return ids[next];
}
function toggleSelection(selected, id) {
  return selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
}
function toggleAll(selected, ids) {
  const all = ids.length > 0 && ids.every((id) => selected.includes(id));
  return all ? [] : [...ids];
}
function pruneSelection(selected, ids) {
  return selected.filter((id) => ids.includes(id));
}
const TYPING_TAGS = /* @__PURE__ */ new Set(["INPUT", "SELECT", "TEXTAREA"]);
function boardCommand(input) {
  if (input.altKey || input.ctrlKey || input.metaKey || input.elsewhere) {
    return null;
  }
  const tag = (input.targetTag || "").toUpperCase();
  if (TYPING_TAGS.has(tag)) {
    return null;
  }
  switch (input.key) {
    case "j":
    case "ArrowDown":
      return "next";
    case "k":
    case "ArrowUp":
      return "previous";
    case "x":
      return "toggle";
    case "Enter":
      return tag === "BUTTON" || tag === "A" ? null : "open";
    default:
      return null;
  }
}
export {
  activeFilterCount,
  boardCommand,
  defaultFilters,
  flattenGroups,
  groupRows,
  moveFocus,
  normalizeFilters,
  pruneSelection,
  toServerFilters,
  toggleAll,
  toggleFlag,
  toggleSelection,
  toggleValue
};
