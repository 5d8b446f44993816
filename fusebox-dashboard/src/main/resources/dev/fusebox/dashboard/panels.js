// Fusebox dashboard: the cards of the policies other than breakers (chaos, retries, time limiters,
// bulkheads, adaptive bulkheads, rate limiters, and any other kind from the measures its section
// describes) and of the application's status cards. dashboard.js owns the page, the stream and the
// breakers; it asks this file how to build and fill a card of any other kind.
// Every text from the server goes in through textContent, never as HTML.
'use strict';

window.FuseboxPanels = function (h) {
  const { make, figure, formatPerSecond, round } = h;

  const pct = (rate) => (rate === null || rate === undefined ? '—' : `${round(rate * 100)}%`);
  const ms = (millis) => (millis === null || millis === undefined ? '—' : `${round(millis)} ms`);
  const count = (value) => (value === null || value === undefined ? '—' : String(value));
  const rate = (instance, key) => formatPerSecond(instance.rates && instance.rates[key]);

  // Chart series: the key in rates/history, the legend's text, and a style (colour and dash pattern).
  const S = (key, label, style) => ({ key, label, style });

  /**
   * Each kind: the badge's text, a sentence under the title, the figures (label, value, optional series
   * key class), the chart's series, and optionally controls. `state` gives the badge's colour class.
   */
  const KINDS = {
    chaos: {
      noun: 'chaos policy',
      badge: (i) => i.state,
      state: (i) => i.state,
      detail: (i) => {
        if (!i.enabled) {
          return 'Disabled: calls pass through untouched (rates kept)';
        }
        const parts = [];
        if (i.faultRate >= 1) {
          parts.push('every call fails');
        } else if (i.faultRate > 0) {
          parts.push(`${pct(i.faultRate)} of calls fail`);
        }
        if (i.resultRate > 0) {
          parts.push(`${pct(i.resultRate)} get an error result`);
        }
        if (i.latencyRate > 0 && i.latencyMillis > 0) {
          parts.push(`${i.latencyRate >= 1 ? 'every call' : pct(i.latencyRate) + ' of calls'} delayed by ${ms(i.latencyMillis)}`);
        }
        return parts.length ? `Injecting: ${parts.join(' · ')}` : 'Injecting nothing: the dependency behaves';
      },
      figures: (i) => [
        ['Fault rate', pct(i.faultRate)],
        i.resultAvailable ? ['Error-result rate', pct(i.resultRate)] : ['Injected faults', count(i.totals.faults)],
        ['Added latency', i.latencyRate > 0 ? `${ms(i.latencyMillis)} · ${pct(i.latencyRate)}` : 'none'],
        ['Calls/s', rate(i, 'calls'), 's1'],
        ['Faults/s', rate(i, 'faults'), 's2'],
        ['Delayed/s', rate(i, 'latencies'), 's3']
      ],
      series: [S('calls', 'calls/s', 's1'), S('faults', 'faults/s', 's2'), S('latencies', 'delayed/s', 's3')],
      controls: chaosControls,
      refresh: refreshChaosControls
    },
    retry: {
      noun: 'retry',
      badge: (i) => `${i.maxAttempts} ${i.maxAttempts === 1 ? 'attempt' : 'attempts'}`,
      state: () => 'info',
      detail: (i) => `Up to ${i.maxAttempts} attempts per call · first retry after ${ms(i.waitDurationMillis)}`,
      figures: (i) => [
        ['Calls/s', rate(i, 'calls'), 's1'],
        ['Retries/s', rate(i, 'retries'), 's2'],
        ['Failed in the end/s', rate(i, 'failed'), 's3'],
        ['Saved by a retry', count(i.totals.successfulWithRetry)],
        ['Failed after retries', count(i.totals.failedWithRetry)],
        ['Budget refused', count(i.totals.budgetExhausted)]
      ],
      series: [S('calls', 'calls/s', 's1'), S('retries', 'retries/s', 's2'), S('failed', 'failed/s', 's3')]
    },
    timelimiter: {
      noun: 'time limiter',
      badge: (i) => ms(i.timeoutMillis),
      state: () => 'info',
      detail: (i) => `Calls still running after ${ms(i.timeoutMillis)} are cut off and fail`,
      figures: (i) => [
        ['Succeeded/s', rate(i, 'successful'), 's1'],
        ['Failed/s', rate(i, 'failed'), 's2'],
        ['Timed out/s', rate(i, 'timedOut'), 's3'],
        ['Timed out', count(i.totals.timedOut)],
        ['Failed', count(i.totals.failed)],
        ['Succeeded', count(i.totals.successful)]
      ],
      series: [S('successful', 'succeeded/s', 's1'), S('failed', 'failed/s', 's2'), S('timedOut', 'timed out/s', 's3')]
    },
    bulkhead: {
      noun: 'bulkhead',
      badge: (i) => i.state,
      state: (i) => i.state,
      detail: (i) => `${i.concurrentCalls} of ${i.maxConcurrentCalls} calls in flight`
        + (i.waitingCalls ? ` · ${i.waitingCalls} waiting` : ''),
      figures: (i) => [
        ['In flight', `${i.concurrentCalls} / ${i.maxConcurrentCalls}`, 's3'],
        ['Free slots', count(i.availableConcurrentCalls)],
        ['Waiting', count(i.waitingCalls)],
        ['Permitted/s', rate(i, 'permitted'), 's1'],
        ['Rejected/s', rate(i, 'rejected'), 's2'],
        ['Rejected', count(i.totals.rejected)]
      ],
      series: [S('permitted', 'permitted/s', 's1'), S('rejected', 'rejected/s', 's2'), S('concurrent', 'in flight', 's3')]
    },
    adaptivebulkhead: {
      noun: 'adaptive bulkhead',
      badge: (i) => i.state,
      state: (i) => i.state,
      detail: (i) => `Learnt limit ${i.limit} (between ${i.minLimit} and ${i.maxLimit})`
        + (i.probing ? ' · probing the no-load latency' : ''),
      figures: (i) => [
        ['Learnt limit', count(i.limit), 's1'],
        ['In flight', count(i.concurrentCalls), 's2'],
        ['No-load latency', ms(i.noLoadRttMillis)],
        ['Latest latency', ms(i.latestRttMillis)],
        ['Rejected/s', rate(i, 'rejected'), 's3'],
        ['Dropped', count(i.totals.dropped)]
      ],
      series: [S('limit', 'limit', 's1'), S('concurrent', 'in flight', 's2'), S('rejected', 'rejected/s', 's3')]
    },
    ratelimiter: {
      noun: 'rate limiter',
      badge: (i) => i.state,
      state: (i) => i.state,
      detail: (i) => `${i.limitForPeriod} permits per ${ms(i.limitRefreshPeriodMillis)} · ${i.algorithm.toLowerCase().replace('_', ' ')}`,
      figures: (i) => [
        ['Available', count(i.availablePermissions)],
        ['Waiting', count(i.waitingThreads)],
        ['Limit', count(i.limitForPeriod)],
        ['Acquired/s', rate(i, 'acquired'), 's1'],
        ['Refused/s', rate(i, 'refused'), 's2'],
        ['Refused', count(i.totals.failed)]
      ],
      series: [S('acquired', 'acquired/s', 's1'), S('refused', 'refused/s', 's2')]
    }
  };

  // ---- Any other kind, a policy of the application's own included: its section lists its measures
  // (key, label, type, unit) and each instance their values in that order. Counters show as rates.

  const STYLES = ['s1', 's2', 's3'];

  function measured(section) {
    const measures = section.measures;
    // The chart holds three series: the counters first (what happens), then the gauges (what is).
    const charted = measures.filter((m) => m.type === 'counter')
      .concat(measures.filter((m) => m.type !== 'counter'))
      .slice(0, STYLES.length);
    const styleOf = (m) => {
      const at = charted.indexOf(m);
      return at < 0 ? undefined : STYLES[at];
    };
    const shown = (m, i, index) => {
      if (m.type === 'counter') {
        return rate(i, m.key);
      }
      const value = i.values ? i.values[index] : null;
      if (value === null || value === undefined) {
        return '—';
      }
      return m.unit ? `${round(value)} ${m.unit}` : String(round(value));
    };
    return {
      noun: section.title.toLowerCase(),
      badge: () => section.kind,
      state: () => 'info',
      detail: () => measures.map((m) => m.description).slice(0, 1).join(''),
      figures: (i) => measures.map((m, index) => [m.type === 'counter' ? `${m.label}/s` : m.label, shown(m, i, index), styleOf(m)]),
      series: charted.map((m) => S(m.key, m.type === 'counter' ? `${m.label}/s` : m.label, styleOf(m)))
    };
  }

  /** Learns a kind this file was not written for from the measures its section describes. */
  function learn(section) {
    if (!KINDS[section.kind] && Array.isArray(section.measures)) {
      KINDS[section.kind] = measured(section);
    }
  }

  // ---- Chaos controls: one-click scenarios, and a form for exact rates. Rates are typed in percent.

  function chaosControls(card, kind, name, control) {
    const box = make('div', 'chaos-controls');
    const quick = make('div', 'actions');
    quick.setAttribute('role', 'group');
    quick.setAttribute('aria-label', `Scenarios for ${name}`);
    const buttons = {};
    const add = (action, label) => {
      const button = make('button', '', label);
      button.type = 'button';
      button.dataset.action = action;
      quick.append(button);
      buttons[action] = button;
      return button;
    };
    add('outage', 'Outage').addEventListener('click', (e) => control(kind, name, 'outage', e.currentTarget));
    add('slowdown', 'Slow-down').addEventListener('click', (e) => {
      const latency = Number(inputs.latency.value);
      control(kind, name, 'slowdown', e.currentTarget, latency > 0 ? { latencyMillis: latency } : undefined);
    });
    add('healthy', 'Healthy').addEventListener('click', (e) => control(kind, name, 'healthy', e.currentTarget));
    add('toggle', 'Disable').addEventListener('click', (e) => {
      control(kind, name, card.instance && card.instance.enabled ? 'disable' : 'enable', e.currentTarget);
    });

    const form = make('form', 'chaos-form');
    form.setAttribute('aria-label', `Chaos settings for ${name}`);
    form.noValidate = false;
    const inputs = {};
    const field = (key, label, max, step, unit) => {
      const wrap = make('label', 'chaos-field');
      const input = make('input');
      input.type = 'number';
      input.min = '0';
      input.max = String(max);
      input.step = String(step);
      input.required = true;
      input.dataset.setting = key;
      input.addEventListener('input', () => (input.dataset.dirty = 'true'));
      wrap.append(make('span', 'chaos-label', label), input, make('span', 'unit', unit));
      inputs[key] = input;
      return wrap;
    };
    const apply = make('button', 'primary', 'Apply');
    apply.type = 'submit';
    apply.dataset.action = 'set';
    const resultField = field('result', 'Error results', 100, 1, '%');
    form.append(field('fault', 'Fault rate', 100, 1, '%'), resultField,
      field('latency', 'Added latency', 60000, 10, 'ms'), field('latencyRate', 'of calls', 100, 1, '%'), apply);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.reportValidity()) {
        return;
      }
      const body = {
        faultRate: Number(inputs.fault.value) / 100,
        latencyMillis: Number(inputs.latency.value),
        latencyRate: Number(inputs.latencyRate.value) / 100
      };
      if (card.instance && card.instance.resultAvailable) {
        body.resultRate = Number(inputs.result.value) / 100;
      }
      control(kind, name, 'set', apply, body).then((ok) => {
        if (ok) {
          Object.values(inputs).forEach((input) => delete input.dataset.dirty);
          refreshChaosControls(card);
        }
      });
    });
    box.append(quick, form);
    card.chaos = { buttons, inputs, resultField, form };
    return box;
  }

  function refreshChaosControls(card) {
    const i = card.instance;
    const c = card.chaos;
    c.buttons.toggle.textContent = i.enabled ? 'Disable' : 'Enable';
    c.buttons.toggle.dataset.action = i.enabled ? 'disable' : 'enable';
    c.resultField.hidden = !i.resultAvailable;
    const values = {
      fault: round(i.faultRate * 100),
      result: round(i.resultRate * 100),
      latency: Math.round(i.latencyMillis),
      latencyRate: round(i.latencyRate * 100)
    };
    for (const [key, input] of Object.entries(c.inputs)) {
      // Never overwrite what the user is typing.
      if (input.dataset.dirty !== 'true' && document.activeElement !== input) {
        input.value = String(values[key]);
      }
    }
  }

  // ---- Building and filling a card of a policy other than a breaker.

  /** The parts every card starts with: the item, its heading (the name and the state badge), its detail. */
  function shell(kind, name, className) {
    const item = make('li', className);
    item.dataset.kind = kind;
    item.dataset.name = name;
    const headingId = `card-${kind}-${Math.random().toString(36).slice(2)}`;
    item.setAttribute('aria-labelledby', headingId);
    const head = make('div', 'card-head');
    const title = make('h3', '', name);
    title.id = headingId;
    const badge = make('span', 'badge');
    badge.dataset.field = 'state';
    head.append(title, badge);
    const detail = make('p', 'state-detail');
    detail.dataset.field = 'detail';
    return { item, head, badge, detail };
  }

  function create(kind, name, actions, control) {
    const spec = KINDS[kind];
    const { item, head, badge, detail } = shell(kind, name, 'card policy-card');
    const figures = make('dl', 'figures');
    const card = { item, badge, detail, figures, dds: [], spec, kind, history: null, instance: null, receivedAt: 0 };
    const chart = make('figure', 'chart');
    const canvas = make('canvas');
    canvas.setAttribute('role', 'img');
    const caption = make('figcaption');
    for (const s of spec.series) {
      const span = make('span');
      span.append(make('span', `key key-${s.style}`), s.label);
      caption.append(span);
    }
    caption.append(make('span', 'window-label'));
    chart.append(canvas, caption);
    card.canvas = canvas;
    card.caption = caption;
    const eventsTitle = make('h4', 'events-title', 'Latest changes');
    const events = make('ol', 'events');
    events.setAttribute('aria-label', `Latest changes of ${name}`);
    card.events = events;
    item.append(head, detail, figures, chart);
    if (spec.controls) {
      item.append(spec.controls(card, kind, name, control));
    }
    if (kind === 'chaos' || kind === 'adaptivebulkhead') {
      item.append(eventsTitle, events);
    }
    return card;
  }

  function fill(card, instance) {
    const spec = card.spec;
    const state = String(spec.state(instance)).toLowerCase();
    card.item.className = `card policy-card state-${state}`;
    card.item.dataset.state = instance.state || '';
    card.badge.textContent = spec.badge(instance);
    card.detail.textContent = spec.detail(instance);
    const rows = spec.figures(instance);
    if (card.dds.length !== rows.length) {
      card.figures.replaceChildren();
      card.dds = rows.map(([label, , key]) => figure(card.figures, label, key ? `key-${key}` : undefined));
    }
    rows.forEach(([label, value], index) => {
      const dd = card.dds[index];
      dd.previousElementSibling.lastChild.textContent = label;
      dd.textContent = value;
    });
    if (spec.refresh) {
      spec.refresh(card);
    }
  }

  // ---- Status cards: the application's own facts (a fleet's shared state, what a demo is doing).

  function createStatus(name) {
    const { item, head, badge } = shell('status', name, 'card status-card');
    const facts = make('dl', 'facts');
    const notes = make('ul', 'notes');
    notes.setAttribute('aria-label', `Notes of ${name}`);
    item.append(head, facts, notes);
    return { item, badge, facts, notes, status: true, instance: null };
  }

  function fillStatus(card, instance) {
    card.item.className = `card status-card tone-${instance.tone}`;
    card.item.dataset.state = instance.state;
    card.badge.textContent = instance.state;
    card.facts.replaceChildren();
    for (const fact of instance.facts) {
      const row = make('div', 'fact');
      row.append(make('dt', '', fact.label), make('dd', '', fact.value));
      card.facts.append(row);
    }
    const signature = instance.notes.join('\n');
    if (card.notes.dataset.signature !== signature) {
      card.notes.dataset.signature = signature;
      card.notes.replaceChildren(...instance.notes.slice(-6).map((note) => make('li', '', note)));
    }
    card.notes.hidden = instance.notes.length === 0;
  }

  const ACTION_DONE = {
    outage: 'outage started',
    slowdown: 'slowed down',
    healthy: 'made healthy',
    set: 'settings applied',
    enable: 'enabled',
    disable: 'disabled'
  };

  return { KINDS, learn, shell, create, fill, createStatus, fillStatus, ACTION_DONE, pct, ms };
};
