// Fusebox dashboard: renders the JSON snapshot, follows the event stream, sends the controls.
// No framework and no build step. Every text from the server goes in through textContent, never as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'fusebox.dashboard.token';
  const TOKEN_HEADER = 'X-Fusebox-Token';

  const STATE_LABELS = {
    CLOSED: 'CLOSED',
    OPEN: 'OPEN',
    HALF_OPEN: 'HALF-OPEN',
    FORCED_OPEN: 'FORCED OPEN',
    DISABLED: 'DISABLED',
    METRICS_ONLY: 'METRICS ONLY'
  };
  const STATE_ORDER = ['OPEN', 'FORCED_OPEN', 'HALF_OPEN', 'CLOSED', 'METRICS_ONLY', 'DISABLED'];
  const ACTION_LABELS = {
    'force-open': 'Force open',
    disable: 'Disable',
    close: 'Close',
    reset: 'Reset',
    'deploy-mode': 'Deploy mode',
    'end-deploy-mode': 'End deploy mode'
  };
  const ACTION_DONE = {
    'force-open': 'forced open',
    disable: 'disabled',
    close: 'closed',
    reset: 'reset',
    'deploy-mode': 'in deploy mode',
    'end-deploy-mode': 'out of deploy mode'
  };
  // Deploy mode, a heightened sensitivity while a rollout runs: started for this long unless the operator says.
  const DEPLOY_MODE_MINUTES = 10;
  // Actions on this instance only: the fleet has no deploy mode (yet), nor a reset.
  const INSTANCE_ONLY = new Set(['reset', 'deploy-mode', 'end-deploy-mode']);

  const el = (id) => document.getElementById(id);
  const sectionsEl = el('sections');
  const summaryEl = el('summary');
  const noticeEl = el('notice');
  const announcerEl = el('announcer');
  const tokenInput = el('token-input');
  const tokenStateEl = el('token-state');

  /** Cards by kind and name. Each holds its elements, its latest instance and its chart history. */
  const cards = new Map();
  const sections = new Map();
  let meta = { samplingIntervalMillis: 1000, historySize: 300 };
  let token = loadToken();
  // The fleet, when the breakers are shared through Redis: the controls then ask "this instance or the fleet".
  let fleet = null;
  let streamAbort = null;
  // The other policies' cards and the status cards are described in panels.js.
  const panels = window.FuseboxPanels({ make, figure, formatPerSecond, round });
  const BREAKER_SERIES = [
    { key: 'calls', label: 'calls/s', style: 'calls' },
    { key: 'failed', label: 'failures/s', style: 'failed' },
    { key: 'rejected', label: 'rejected/s', style: 'rejected' }
  ];
  const SERIES_STYLES = {
    calls: ['--series-calls', []],
    failed: ['--series-failed', [6, 4]],
    rejected: ['--series-rejected', [2, 3]],
    s1: ['--series-calls', []],
    s2: ['--series-failed', [6, 4]],
    s3: ['--series-rejected', [2, 3]]
  };

  // ---- Token: from the address's fragment (never sent to a server), kept in this tab's session storage.

  function loadToken() {
    let stored = '';
    try {
      stored = sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      stored = '';
    }
    return tokenFromAddress() || stored;
  }

  /** Takes a token out of the address's fragment, if it has one. */
  function tokenFromAddress() {
    const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (!match) {
      return '';
    }
    const found = decodeURIComponent(match[1]);
    saveToken(found);
    // Out of the address bar, the history and any screenshot of the page.
    history.replaceState(null, '', location.pathname + location.search);
    return found;
  }

  function saveToken(value) {
    try {
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
    } catch (e) {
      // Storage may be off; the token then lasts as long as the page.
    }
  }

  function authHeaders() {
    const headers = {};
    if (token) {
      headers[TOKEN_HEADER] = token;
    }
    return headers;
  }

  function setControlAccess(unlocked) {
    tokenStateEl.dataset.unlocked = String(unlocked);
    tokenStateEl.textContent = unlocked ? 'Controls unlocked' : token ? 'Token refused' : 'Controls locked';
  }

  el('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = tokenInput.value.trim();
    tokenInput.value = '';
    saveToken(token);
    restart();
  });

  // Opening the address with a token while the page is open changes only the fragment.
  window.addEventListener('hashchange', () => {
    const found = tokenFromAddress();
    if (found) {
      token = found;
      restart();
    }
  });

  el('token-forget').addEventListener('click', () => {
    token = '';
    saveToken('');
    restart();
  });

  // ---- Messages

  function announce(text) {
    // A fresh node per message makes screen readers read each one.
    const p = document.createElement('p');
    p.textContent = text;
    announcerEl.append(p);
    while (announcerEl.childElementCount > 5) {
      announcerEl.firstElementChild.remove();
    }
  }

  function showNotice(text) {
    noticeEl.textContent = text;
    noticeEl.hidden = !text;
  }

  function setConnection(status, text) {
    el('connection').dataset.status = status;
    el('connection-text').textContent = text;
  }

  // ---- Formatting

  function formatRate(percent) {
    return percent === null || percent === undefined ? '—' : `${round(percent)}%`;
  }

  function formatPerSecond(value) {
    if (value === null || value === undefined) {
      return '—';
    }
    return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
  }

  function round(value) {
    return Math.round(value * 10) / 10;
  }

  function formatDuration(millis) {
    const seconds = Math.max(0, Math.ceil(millis / 1000));
    if (seconds < 60) {
      return `${seconds} s`;
    }
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
    }
    return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function stateText(state) {
    return STATE_LABELS[state] || state;
  }

  function describeEvent(event) {
    switch (event.type) {
      case 'STATE_TRANSITION':
        return `${stateText(event.from)} → ${stateText(event.to)}`;
      case 'RESET':
        return 'Reset by hand';
      case 'CONFIGURATION_CHANGED':
        return `Reconfigured: ${event.changes}`;
      case 'DEPLOY_MODE_CHANGED':
        return event.active ? `Deploy mode on for ${formatDuration(event.durationMillis)}` : 'Deploy mode off';
      case 'FAILURE_RATE_EXCEEDED':
        return `Failure rate ${round(event.failureRate)}% reached its threshold`;
      case 'SLOW_CALL_RATE_EXCEEDED':
        return `Slow-call rate ${round(event.slowCallRate)}% reached its threshold`;
      case 'NOT_PERMITTED':
        return 'Call rejected';
      case 'ERROR':
        return `Call failed: ${event.error}`;
      case 'IGNORED_ERROR':
        return `Ignored error: ${event.error}`;
      case 'SETTINGS_CHANGED':
        return `Now ${event.state}: faults ${panels.pct(event.faultRate)}, `
          + `latency ${panels.ms(event.latencyMillis)} on ${panels.pct(event.latencyRate)}`
          + (event.enabled ? '' : ' (disabled)');
      case 'LIMIT_CHANGED':
        return `Limit ${event.oldLimit} → ${event.newLimit}`;
      default:
        return event.type;
    }
  }

  // ---- Rendering

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function figure(parent, label, keyClass) {
    const box = make('div', 'figure');
    const dt = make('dt');
    if (keyClass) {
      dt.append(make('span', `key ${keyClass}`));
    }
    dt.append(label);
    const dd = make('dd', '', '—');
    box.append(dt, dd);
    parent.append(box);
    return dd;
  }

  function sectionFor(section) {
    let entry = sections.get(section.kind);
    if (!entry) {
      const root = make('section', 'section');
      root.dataset.kind = section.kind;
      const heading = make('h2', '', section.title);
      heading.id = `section-${section.kind}`;
      root.setAttribute('aria-labelledby', heading.id);
      const list = make('ul', 'cards');
      const empty = make('p', 'section-empty', 'None yet: they appear here as the application creates them.');
      root.append(heading, list, empty);
      // The application's own status comes first; the policies follow in the server's order.
      if (section.kind === 'status') {
        sectionsEl.prepend(root);
      } else {
        sectionsEl.append(root);
      }
      const fleetBox = make('div', 'fleet-panel');
      fleetBox.hidden = true;
      heading.after(fleetBox);
      entry = { root, heading, list, empty, fleetBox };
      sections.set(section.kind, entry);
    }
    if (section.kind === 'circuitbreaker') {
      fleet = section.fleet || null;
      renderFleet(entry.fleetBox, fleet);
    }
    // A section of one or two cards shares its row with the next sections; a bigger one takes the row.
    entry.root.classList.toggle('wide', section.kind === 'status' || section.instances.length > 2);
    entry.heading.textContent = `${section.title} (${section.instances.length})`;
    entry.empty.hidden = section.instances.length > 0;
    return entry;
  }

  function createCard(kind, name, actions) {
    const { item, head, badge, detail } = panels.shell(kind, name, 'card');

    const figures = make('dl', 'figures');
    const f = {
      failureRate: figure(figures, 'Failure rate'),
      slowCallRate: figure(figures, 'Slow-call rate'),
      bufferedCalls: figure(figures, 'Buffered calls'),
      calls: figure(figures, 'Calls/s', 'key-calls'),
      failed: figure(figures, 'Failures/s', 'key-failed'),
      rejected: figure(figures, 'Rejected/s', 'key-rejected')
    };
    Object.entries(f).forEach(([field, dd]) => (dd.dataset.field = field));

    const chart = make('figure', 'chart');
    const canvas = make('canvas');
    canvas.setAttribute('role', 'img');
    const caption = make('figcaption');
    caption.append(legend('key-calls', 'calls/s'), legend('key-failed', 'failures/s'),
      legend('key-rejected', 'rejected/s'), make('span', 'window-label'));
    chart.append(canvas, caption);

    const eventsTitle = make('h4', 'events-title', 'Latest events');
    const events = make('ol', 'events');
    events.setAttribute('aria-label', `Latest events of ${name}`);

    const outagesLine = make('p', 'outages-line');
    outagesLine.hidden = true;
    const probesLine = make('p', 'probes-line');
    probesLine.hidden = true;
    const fleetLine = make('p', 'fleet-line');
    fleetLine.hidden = true;
    const overrideLine = make('p', 'fleet-override');
    overrideLine.hidden = true;
    const deployLine = make('p', 'deploy-line');
    deployLine.dataset.field = 'deployMode';
    deployLine.hidden = true;

    const buttons = make('div', 'actions');
    buttons.setAttribute('role', 'group');
    buttons.setAttribute('aria-label', `Controls for ${name}`);
    const scopeForm = createScopeForm(kind, name);
    // Deploy mode's length, in minutes, beside its button; sent as durationMillis.
    const deployMinutes = make('input');
    deployMinutes.type = 'number';
    deployMinutes.min = '1';
    deployMinutes.max = '1440';
    deployMinutes.step = '1';
    deployMinutes.value = String(DEPLOY_MODE_MINUTES);
    deployMinutes.dataset.field = 'deployMinutes';
    deployMinutes.setAttribute('aria-label', `Deploy mode of ${name}, in minutes`);
    const deployBody = () => {
      const minutes = Math.round(Number(deployMinutes.value));
      return { durationMillis: (minutes >= 1 && minutes <= 1440 ? minutes : DEPLOY_MODE_MINUTES) * 60000 };
    };
    const endButtons = [];
    for (const action of actions) {
      const button = make('button', '', ACTION_LABELS[action] || action);
      button.type = 'button';
      button.dataset.action = action;
      const body = action === 'deploy-mode' ? deployBody : () => undefined;
      button.addEventListener('click', () => {
        if (fleet) {
          scopeForm.ask(action, button, body);
        } else {
          control(kind, name, action, button, body());
        }
      });
      if (action === 'deploy-mode') {
        const group = make('span', 'deploy-group');
        const unit = make('label', 'deploy-minutes');
        unit.append(deployMinutes, ' min');
        group.append(button, unit);
        buttons.append(group);
      } else {
        buttons.append(button);
      }
      if (action === 'end-deploy-mode') {
        button.hidden = true; // shown while deploy mode is on
        endButtons.push(button);
      }
    }

    item.append(head, detail, deployLine, probesLine, outagesLine, fleetLine, overrideLine, figures, chart, eventsTitle, events, buttons, scopeForm.form);
    return { item, badge, detail, f, canvas, caption, events, deployLine, endButtons, probesLine, outagesLine, fleetLine, overrideLine,
      series: BREAKER_SERIES, breaker: true, history: null, instance: null, receivedAt: 0 };
  }

  /**
   * With a fleet, every control first asks where it applies: this instance, or every instance at once
   * through Redis, which needs a reason (it is logged and shown on every instance).
   */
  function createScopeForm(kind, name) {
    const form = make('form', 'scope-form');
    form.hidden = true;
    form.setAttribute('aria-label', `Where to apply the action on ${name}`);
    const question = make('p', 'scope-question');
    const choices = make('fieldset', 'scope-choices');
    choices.append(make('legend', '', 'Apply to'));
    const radios = {};
    for (const [value, text] of [['instance', 'This instance'], ['fleet', 'The whole fleet']]) {
      const label = make('label');
      const radio = make('input');
      radio.type = 'radio';
      radio.name = `scope-${name}`;
      radio.value = value;
      radio.dataset.scope = value;
      label.append(radio, ` ${text}`);
      choices.append(label);
      radios[value] = radio;
    }
    const reasonLabel = make('label', 'scope-reason', 'Reason (required for the fleet) ');
    const reason = make('input');
    reason.type = 'text';
    reason.name = 'reason';
    reason.maxLength = 500;
    reason.dataset.field = 'reason';
    reasonLabel.append(reason);
    const error = make('p', 'scope-error');
    error.setAttribute('role', 'alert');
    const apply = make('button', '', 'Apply');
    apply.type = 'submit';
    apply.dataset.scopeApply = 'true';
    const cancel = make('button', '', 'Cancel');
    cancel.type = 'button';
    form.append(question, choices, reasonLabel, error, apply, cancel);
    let pending = null;
    cancel.addEventListener('click', () => {
      form.hidden = true;
      if (pending) {
        pending.button.focus();
      }
      pending = null;
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!pending) {
        return;
      }
      const scope = radios.fleet.checked ? 'fleet' : 'instance';
      const why = reason.value.trim();
      if (scope === 'fleet' && !why) {
        error.textContent = 'A fleet action needs a reason: it is logged and shown on every instance.';
        reason.focus();
        return;
      }
      error.textContent = '';
      const body = scope === 'fleet' ? { scope, reason: why } : { scope, ...(pending.body() || {}) };
      const done = await control(kind, name, pending.action, apply, body);
      if (done) {
        form.hidden = true;
        reason.value = '';
        pending = null;
      }
    });
    return {
      form,
      ask(action, button, body) {
        pending = { action, button, body: body || (() => undefined) };
        question.textContent = `${ACTION_LABELS[action] || action} ${name}${action === 'close' ? ' (for the fleet: releases its override)' : ''}`;
        // A reset clears this instance's window, and deploy mode is per instance: neither is for the fleet.
        radios.fleet.disabled = INSTANCE_ONLY.has(action);
        radios.instance.checked = true;
        error.textContent = '';
        form.hidden = false;
        radios.instance.focus();
      }
    };
  }

  /** The fleet's members and overrides, above the breakers' cards. */
  function renderFleet(box, view) {
    box.hidden = !view;
    if (!view) {
      return;
    }
    // Heartbeat times change every period: they update the members' tooltips in place, and only a change
    // of anything else rebuilds the panel (rebuilding every sample would pull elements from under a reader).
    const signature = JSON.stringify({ ...view, members: view.members.map((m) => [m.id, m.mode]) });
    if (box.dataset.signature === signature) {
      for (const m of view.members) {
        const li = box.querySelector(`li[data-member="${CSS.escape(m.id)}"]`);
        if (li) {
          li.title = `last heartbeat ${formatTime(m.lastSeen)}`;
        }
      }
      return;
    }
    box.dataset.signature = signature;
    box.replaceChildren();
    box.append(make('h3', '', `Fleet: ${view.members.length} ${view.members.length === 1 ? 'instance' : 'instances'}`
      + ` · this one is ${view.instance} (${view.mode})`));
    const members = make('ul', 'fleet-members');
    members.setAttribute('aria-label', 'Fleet members');
    for (const m of view.members) {
      const li = make('li', `member mode-${m.mode.toLowerCase()}`, `${m.id} ${m.mode}`);
      li.dataset.member = m.id;
      li.title = `last heartbeat ${formatTime(m.lastSeen)}`;
      members.append(li);
    }
    box.append(members);
    const overrides = make('ul', 'fleet-overrides');
    overrides.setAttribute('aria-label', 'Fleet overrides');
    for (const o of view.overrides) {
      const li = make('li', 'override', describeOverride(o, o.breaker));
      li.dataset.breaker = o.breaker;
      overrides.append(li);
    }
    box.append(make('h4', '', view.overrides.length ? 'Overrides in force' : 'No fleet override in force'), overrides);
    if (view.events && view.events.length) {
      box.append(make('h4', '', 'Fleet events here, newest first'));
      const list = make('ol', 'fleet-events');
      list.setAttribute('aria-label', 'Fleet events');
      for (const e of [...view.events].reverse()) {
        const li = make('li');
        const time = make('time', '', formatTime(e.time));
        time.dateTime = e.time;
        li.dataset.type = e.type;
        li.append(time, ` ${e.text}`);
        list.append(li);
      }
      box.append(list);
    }
    if (view.error) {
      box.append(make('p', 'fleet-error', `The fleet cannot be read: ${view.error}`));
    }
  }

  function describeOverride(o, breaker) {
    const until = o.until ? `until ${formatTime(o.until)}` : 'until released';
    return `${breaker ? breaker + ': ' : ''}${stateText(o.state)} for the fleet by ${o.by} at ${formatTime(o.since)},`
      + ` ${until}: ${o.reason}`;
  }

  /** "Open 2 / Closed 7 across 9 instances", in the page's state order. */
  function describeFleetCounts(f) {
    const parts = STATE_ORDER.filter((state) => f.counts[state]).map((state) => {
      const text = stateText(state).toLowerCase();
      return `${text.charAt(0).toUpperCase()}${text.slice(1)} ${f.counts[state]}`;
    });
    const across = `${parts.join(' / ') || 'No state yet'} across ${f.instances} ${f.instances === 1 ? 'instance' : 'instances'}`;
    const w = f.window;
    if (!w) {
      return across;
    }
    const rate = w.failureRate === null ? 'no calls yet' : `${formatRate(w.failureRate)} failed of ${w.calls} calls`;
    return `${across} · fleet ${stateText(w.state)}, window: ${rate}`;
  }

  /** Builds a card of any kind: a breaker's here, the others' in panels.js. */
  function cardFor(kind, name, actions) {
    if (kind === 'circuitbreaker') {
      return createCard(kind, name, actions);
    }
    if (kind === 'status') {
      return panels.createStatus(name);
    }
    if (!panels.KINDS[kind]) {
      return null; // a kind this page does not know: skipped, as the API asks of clients
    }
    const card = panels.create(kind, name, actions, control);
    card.series = card.spec.series;
    return card;
  }

  function legend(keyClass, text) {
    const span = make('span');
    span.append(make('span', `key ${keyClass}`), text);
    return span;
  }

  function updateCard(kind, instance, withHistory) {
    const key = `${kind}\u0000${instance.name}`;
    const card = cards.get(key);
    if (!card) {
      return;
    }
    const previous = card.instance;
    card.instance = instance;
    card.receivedAt = performance.now();
    if (card.status) {
      panels.fillStatus(card, instance);
      return previous;
    }
    updateHistory(card, instance, withHistory);
    if (!card.breaker) {
      panels.fill(card, instance);
      renderEvents(card, instance.events || []);
      drawChart(card);
      return previous;
    }

    const state = instance.state;
    card.item.className = `card state-${state.toLowerCase()}`;
    card.item.dataset.state = state;
    card.badge.textContent = stateText(state);

    card.f.failureRate.textContent = formatRate(instance.failureRate);
    appendThreshold(card.f.failureRate, instance.failureRateThreshold);
    card.f.slowCallRate.textContent = formatRate(instance.slowCallRate);
    appendThreshold(card.f.slowCallRate, instance.slowCallRateThreshold);
    card.f.bufferedCalls.textContent = String(instance.bufferedCalls);
    const rates = instance.rates;
    card.f.calls.textContent = formatPerSecond(rates && rates.calls);
    card.f.failed.textContent = formatPerSecond(rates && rates.failed);
    card.f.rejected.textContent = formatPerSecond(rates && rates.rejected);

    const p = instance.probes;
    card.probesLine.hidden = !p;
    if (p) {
      card.probesLine.textContent = `Health probe every ${formatDuration(p.intervalMillis)}: `
        + `${p.successful} succeeded, ${p.failed} failed`
        + (p.failuresToOpen > 0 ? ` · ${p.failuresToOpen} failures in a row open it` : '');
    }
    const o = instance.outages;
    card.outagesLine.hidden = !o || o.openings === 0;
    if (o && o.openings > 0) {
      const spared = `Spared its dependency ${o.sparedCalls} ${o.sparedCalls === 1 ? 'call' : 'calls'}`
        + ` over ${o.openings} ${o.openings === 1 ? 'opening' : 'openings'}`;
      const recovery = o.lastTimeToRecoveryMillis === null ? 'no recovery yet'
        : `last recovery took ${formatDuration(o.lastTimeToRecoveryMillis)}`
          + (o.recoveries > 1 ? ` (average ${formatDuration(o.averageTimeToRecoveryMillis)} over ${o.recoveries})` : '');
      card.outagesLine.textContent = `${spared} · ${recovery}`;
    }
    card.fleetLine.hidden = !instance.fleet;
    card.overrideLine.hidden = !(instance.fleet && instance.fleet.override);
    if (instance.fleet) {
      card.fleetLine.textContent = describeFleetCounts(instance.fleet);
      card.overrideLine.textContent = instance.fleet.override ? describeOverride(instance.fleet.override) : '';
    }

    renderEvents(card, instance.events || []);
    renderDetail(card);
    drawChart(card);
    return previous;
  }

  /** While deploy mode is on: the time it has left, counted down between samples, and the button to end it. */
  function renderDeployMode(card) {
    const remaining = card.instance.deployModeRemainingMillis;
    const left = remaining === null || remaining === undefined ? 0 : remaining - (performance.now() - card.receivedAt);
    const on = left > 0;
    card.deployLine.hidden = !on;
    card.item.classList.toggle('deploy-mode', on);
    card.endButtons.forEach((button) => (button.hidden = !on));
    if (on) {
      card.deployLine.replaceChildren('Deploy mode · opens on its first failures · ends in ',
        make('strong', '', formatDuration(left)));
    }
  }

  /** Keeps a card's chart data: the whole history from a snapshot, then one sample per streamed tick. */
  function updateHistory(card, instance, withHistory) {
    const rates = instance.rates;
    if (withHistory && instance.history) {
      card.history = { ticks: instance.history.ticks.slice() };
      for (const s of card.series) {
        card.history[s.key] = (instance.history[s.key] || []).slice();
      }
    } else if (rates && card.history) {
      const h = card.history;
      const last = h.ticks.length ? h.ticks[h.ticks.length - 1] : -1;
      if (rates.tick > last) {
        h.ticks.push(rates.tick);
        for (const s of card.series) {
          h[s.key].push(rates[s.key]);
        }
        const excess = h.ticks.length - meta.historySize;
        if (excess > 0) {
          Object.values(h).forEach((series) => series.splice(0, excess));
        }
      }
    }
  }

  function appendThreshold(dd, threshold) {
    if (threshold !== undefined && threshold !== null && threshold < 100) {
      dd.append(make('small', 'threshold', `opens at ${round(threshold)}%`));
    }
  }

  function renderEvents(card, events) {
    const newest = events.slice(-5).reverse();
    const signature = newest.map((e) => `${e.time}${e.type}`).join('|');
    if (card.events.dataset.signature === signature) {
      return;
    }
    card.events.dataset.signature = signature;
    card.events.replaceChildren();
    if (!newest.length) {
      card.events.append(make('li', 'none', 'Nothing yet'));
      return;
    }
    for (const event of newest) {
      const li = make('li');
      const time = make('time', '', formatTime(event.time));
      time.dateTime = event.time;
      li.append(time, make('span', '', describeEvent(event)));
      card.events.append(li);
    }
  }

  function renderDetail(card) {
    renderDeployMode(card);
    const instance = card.instance;
    const detail = card.detail;
    const since = formatDuration(instance.timeInStateMillis + (performance.now() - card.receivedAt));
    const held = !!(instance.fleet && instance.fleet.override);
    detail.replaceChildren();
    switch (instance.state) {
      case 'OPEN': {
        const left = instance.nextTrialMillis - (performance.now() - card.receivedAt);
        if (left > 0) {
          detail.append('Rejecting calls · next trial in ', make('strong', '', formatDuration(left)));
        } else {
          detail.append('Rejecting calls · the next call is a trial');
        }
        break;
      }
      case 'HALF_OPEN':
        detail.append('Letting trial calls through to decide');
        break;
      case 'FORCED_OPEN':
        detail.append(held ? 'Forced open for the whole fleet: rejecting every call · for '
          : 'Forced open by hand: rejecting every call · for ', make('strong', '', since));
        break;
      case 'DISABLED':
        detail.append(held ? 'Disabled for the whole fleet: calls run, nothing is recorded'
          : 'Disabled by hand: calls run, nothing is recorded');
        break;
      case 'METRICS_ONLY':
        detail.append('Recording only: never opens');
        break;
      default:
        if (instance.rampPercent < 100) {
          detail.append('Recovering · admitting ', make('strong', '', `${round(instance.rampPercent)}%`), ' of calls');
        } else {
          detail.append('Calls flowing · closed for ', make('strong', '', since));
        }
    }
  }

  // ---- Chart: three series on a canvas, with the figures above as its text equivalent.

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function drawChart(card) {
    const canvas = card.canvas;
    const h = card.history || { ticks: [] };
    const shown = card.series.map((s) => ({ s, values: h[s.key] || [] }));
    const windowSeconds = (meta.historySize * meta.samplingIntervalMillis) / 1000;
    const windowText = `last ${formatDuration(windowSeconds * 1000)}`;
    card.caption.querySelector('.window-label').textContent = `· ${windowText}`;
    const peak = Math.max(0, ...shown.flatMap((x) => x.values));
    const rates = card.instance.rates;
    if (card.breaker) {
      canvas.setAttribute('aria-label', rates
        ? `Chart of the ${windowText}: now ${formatPerSecond(rates.calls)} calls, ${formatPerSecond(rates.failed)} failures `
          + `and ${formatPerSecond(rates.rejected)} rejections per second; peak ${formatPerSecond(peak)} per second.`
        : `Chart of the ${windowText}: no samples yet.`);
    } else {
      canvas.setAttribute('aria-label', rates
        ? `Chart of the ${windowText}: now ${card.series.map((s) => `${formatPerSecond(rates[s.key])} ${s.label}`).join(', ')}; `
          + `peak ${formatPerSecond(peak)}.`
        : `Chart of the ${windowText}: no samples yet.`);
    }

    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) {
      return;
    }
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);

    const top = 8;
    const bottom = height - 18;
    const left = 34;
    const right = width - 4;
    const max = niceMax(peak);
    const muted = cssVar('--muted');
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = cssVar('--grid');
    ctx.fillStyle = muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 2; i++) {
      const y = bottom - ((bottom - top) * i) / 2;
      ctx.beginPath();
      ctx.moveTo(left, Math.round(y) + 0.5);
      ctx.lineTo(right, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.fillText(formatAxis((max * i) / 2), left - 6, y);
    }
    ctx.textBaseline = 'alphabetic';
    ctx.textAlign = 'left';
    ctx.fillText(`−${formatDuration(windowSeconds * 1000)}`, left, height - 3);
    ctx.textAlign = 'right';
    ctx.fillText('now', right, height - 3);

    if (!h.ticks.length) {
      return;
    }
    const lastTick = h.ticks[h.ticks.length - 1];
    const span = Math.max(1, meta.historySize - 1);
    const x = (tick) => right - ((lastTick - tick) / span) * (right - left);
    const y = (value) => bottom - (value / max) * (bottom - top);
    for (const { s, values } of shown) {
      const [colour, dash] = SERIES_STYLES[s.style] || SERIES_STYLES.s1;
      series(ctx, h.ticks, values, x, y, cssVar(colour), dash);
    }
  }

  function series(ctx, ticks, values, x, y, colour, dash) {
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (let i = 0; i < ticks.length; i++) {
      const px = x(ticks[i]);
      const py = y(values[i]);
      if (i === 0) {
        ctx.moveTo(px, py);
      } else {
        ctx.lineTo(px, py);
      }
    }
    ctx.stroke();
    ctx.restore();
  }

  function niceMax(value) {
    if (value <= 1) {
      return 1;
    }
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (value <= step * magnitude) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  function formatAxis(value) {
    return value >= 1000 ? `${round(value / 1000)}k` : String(round(value));
  }

  // ---- Applying documents

  function applySnapshot(doc, withHistory) {
    meta = { samplingIntervalMillis: doc.samplingIntervalMillis, historySize: doc.historySize };
    document.body.dataset.tick = String(doc.tick);
    const every = doc.samplingIntervalMillis < 1000 ? `${doc.samplingIntervalMillis} ms` : formatDuration(doc.samplingIntervalMillis);
    el('footer-text').textContent = `Sampled every ${every}`
      + ` · charts show the last ${formatDuration(doc.historySize * doc.samplingIntervalMillis)}`;
    if (doc.access) {
      setControlAccess(doc.access.control);
    }
    const seen = new Set();
    const statuses = [];
    const counts = {};
    let total = 0;
    for (const section of doc.sections) {
      panels.learn(section);
      const entry = sectionFor(section);
      let position = 0;
      for (const instance of section.instances) {
        const key = `${section.kind}\u0000${instance.name}`;
        seen.add(key);
        let card = cards.get(key);
        if (!card) {
          card = cardFor(section.kind, instance.name, section.actions);
          if (!card) {
            continue;
          }
          cards.set(key, card);
        }
        // Keep the server's order (by name) without moving a card that is already in place: focus stays.
        const at = entry.list.children[position];
        if (at !== card.item) {
          entry.list.insertBefore(card.item, at || null);
        }
        position++;
        updateCard(section.kind, instance, withHistory);
        if (section.kind === 'circuitbreaker') {
          counts[instance.state] = (counts[instance.state] || 0) + 1;
          total++;
        } else if (section.kind === 'status') {
          statuses.push(instance);
        }
      }
    }
    renderStatusBadges(statuses);
    for (const [key, card] of cards) {
      if (!seen.has(key)) {
        card.item.remove();
        cards.delete(key);
      }
    }
    renderSummary(total, counts);
  }

  function renderSummary(total, counts) {
    summaryEl.replaceChildren();
    summaryEl.append(make('span', '', `${total} ${total === 1 ? 'breaker' : 'breakers'}`));
    for (const state of STATE_ORDER) {
      if (counts[state]) {
        const chip = make('span', `chip state-${state.toLowerCase()}`);
        chip.append(make('span', 'swatch'), `${counts[state]} ${stateText(state).toLowerCase()}`);
        summaryEl.append(chip);
      }
    }
  }

  /** The status cards' states, as badges in the top bar: seen from anywhere on the page. */
  function renderStatusBadges(statuses) {
    const box = el('status-badges');
    const signature = statuses.map((s) => `${s.name}\u0000${s.state}\u0000${s.tone}`).join('|');
    if (box.dataset.signature === signature) {
      return;
    }
    box.dataset.signature = signature;
    box.replaceChildren(...statuses.map((s) => {
      const chip = make('span', `status-badge tone-${s.tone}`);
      chip.append(make('span', 'swatch'), `${s.name}: ${s.state}`);
      return chip;
    }));
    box.hidden = statuses.length === 0;
  }

  function applyEvents(doc) {
    for (const event of doc.events) {
      if (event.type === 'STATE_TRANSITION') {
        announce(`${event.name}: ${stateText(event.from)} to ${stateText(event.to)}`);
      } else if (event.type === 'FAILURE_RATE_EXCEEDED' || event.type === 'SLOW_CALL_RATE_EXCEEDED'
        || event.type === 'DEPLOY_MODE_CHANGED') {
        announce(`${event.name}: ${describeEvent(event)}`);
      } else if (event.type === 'SETTINGS_CHANGED') {
        announce(`Chaos ${event.name}: now ${event.state}`);
      }
    }
  }

  // ---- Controls

  /** Sends a control, with a JSON body when it has parameters; resolves to whether it was carried out. */
  async function control(kind, name, action, button, body) {
    if (button.getAttribute('aria-busy') === 'true') {
      return false;
    }
    if (!token) {
      showNotice('The controls need the access token: paste it in the field at the top, or open the address '
        + 'the application printed, which carries it.');
      tokenInput.focus();
      return false;
    }
    button.setAttribute('aria-busy', 'true');
    const label = ACTION_LABELS[action] || button.textContent || action;
    try {
      const path = ['api', kind, name, action].map(encodeURIComponent).join('/');
      const headers = authHeaders();
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
      }
      const response = await fetch(path, {
        method: 'POST', headers, cache: 'no-store', body: body === undefined ? undefined : JSON.stringify(body)
      });
      if (response.ok) {
        const instance = await response.json();
        showNotice('');
        updateCard(kind, instance, false);
        const done = kind === 'circuitbreaker' ? ACTION_DONE[action] : panels.ACTION_DONE[action];
        announce(`${name} ${done || action}: now ${stateText(instance.state)}`);
        return true;
      } else if (response.status === 401 || response.status === 403) {
        setControlAccess(false);
        showNotice('The dashboard refused the access token. Paste the current one in the field at the top.');
        tokenInput.focus();
      } else {
        const answer = await response.json().catch(() => ({}));
        showNotice(`${label} failed: ${answer.error || response.status}`);
      }
    } catch (e) {
      showNotice(`${label} failed: the dashboard cannot be reached.`);
    } finally {
      button.removeAttribute('aria-busy');
    }
    return false;
  }

  // ---- Loading and streaming: fetch() rather than EventSource, which cannot send the token header.

  async function loadSnapshot(signal) {
    const response = await fetch('api/snapshot', { headers: authHeaders(), cache: 'no-store', signal });
    if (response.status === 401 || response.status === 403) {
      const error = new Error('denied');
      error.denied = true;
      throw error;
    }
    if (!response.ok) {
      throw new Error(`snapshot: ${response.status}`);
    }
    applySnapshot(await response.json(), true);
  }

  function handleFrame(frame) {
    let type = 'message';
    const data = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) {
        type = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    if (!data.length) {
      return;
    }
    const doc = JSON.parse(data.join('\n'));
    if (type === 'snapshot') {
      applySnapshot(doc, false);
    } else if (type === 'events') {
      applyEvents(doc);
    }
  }

  async function follow(signal) {
    let delay = 1000;
    while (!signal.aborted) {
      try {
        await loadSnapshot(signal);
        showNotice('');
        const response = await fetch('api/stream', { headers: authHeaders(), cache: 'no-store', signal });
        if (!response.ok || !response.body) {
          throw new Error(`stream: ${response.status}`);
        }
        setConnection('live', 'Live');
        delay = 1000;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            handleFrame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (e) {
        if (signal.aborted) {
          return;
        }
        if (e.denied) {
          setConnection('denied', 'Needs the access token');
          showNotice('This dashboard shows its data only with the access token: paste it in the field at the top.');
          setControlAccess(false);
          return;
        }
      }
      if (signal.aborted) {
        return;
      }
      setConnection('reconnecting', 'Reconnecting…');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10000);
    }
  }

  function restart() {
    if (streamAbort) {
      streamAbort.abort();
    }
    streamAbort = new AbortController();
    tokenStateEl.dataset.unlocked = 'false';
    tokenStateEl.textContent = token ? 'Checking token…' : 'Controls locked';
    setConnection('connecting', 'Connecting…');
    follow(streamAbort.signal);
  }

  // Countdowns and "for ..." figures move between samples.
  setInterval(() => cards.forEach((card) => card.instance && card.breaker && renderDetail(card)), 500);
  window.addEventListener('resize', () => cards.forEach((card) => card.instance && card.canvas && drawChart(card)));

  restart();
})();
