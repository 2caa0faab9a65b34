// What the test asks of the JupyterLab page, as window.probe. It runs in
// the page and reads the application the bundle leaves on window.lab.
window.probe = (() => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const until = async (what, f, ms = 60000) => {
    const t0 = Date.now();
    for (;;) {
      const v = f();
      if (v) return v;
      if (Date.now() - t0 > ms) throw new Error('waited ' + ms + ' ms for ' + what);
      await sleep(20);
    }
  };

  // find is the notebook at path in the main area; panel the one opened.
  const find = path => {
    if (!window.lab) return null;
    const it = window.lab.shell.widgets('main');
    for (let w = it.next(); w; w = it.next()) {
      if (w.content && w.sessionContext && w.context.path === path) return w;
    }
    return null;
  };
  let opened = null;
  const panel = () => opened;
  const cell = index => panel().content.widgets[index];
  const kernel = () => panel().sessionContext.session.kernel;

  // A progress bar is an output whose HTML holds a <progress>.
  const isProgress = o => {
    const html = (o.data || {})['text/html'];
    return typeof html === 'string' && html.includes('<progress');
  };
  const PLOTS = ['image/png', 'application/vnd.vegalite.v4+json'];

  // events records how each code cell's outputs changed: an update of a
  // display in place is a "set", a new output an "add".
  const events = [];
  const watch = (c, index) => {
    c.model.outputs.changed.connect((_, change) => {
      for (const m of change.newValues || []) {
        const o = m.toJSON();
        events.push({Cell: index, Type: change.type, Progress: isProgress(o), Text: String((o.data || {})['text/plain'] || '')});
      }
    });
  };

  // The renderer widget of output i of a cell, and its Vega View.
  const renderer = (index, i) => {
    const child = cell(index).outputArea.widgets[i];
    return (child.widgets || []).find(w => w._result) || null;
  };

  return {
    // opened waits for the notebook the page opened and its kernel, and
    // starts recording output changes.
    async opened(path) {
      const p = opened = await until('the notebook ' + path, () => find(path));
      // The commands act on the notebook that has the focus; the file
      // browser beside it would leave the charts less room.
      window.lab.shell.activateById(p.id);
      window.lab.shell.collapseLeft();
      await p.context.ready;
      await p.sessionContext.ready;
      await until('the kernel', () => p.sessionContext.session && p.sessionContext.session.kernel &&
        p.sessionContext.session.kernel.connectionStatus === 'connected');
      p.content.widgets.forEach((c, index) => { if (c.model.type === 'code') watch(c, index); });
      return {Name: p.title.label, Kernel: p.sessionContext.kernelDisplayName, Cells: p.content.widgets.length};
    },
    events: () => events,

    // runAll runs every cell, as Run → Run All Cells does, and returns
    // whether all ran.
    runAll: () => window.lab.commands.execute('notebook:run-all-cells'),

    // append adds a code cell with source at the end and returns its index.
    append(source) {
      const p = panel();
      p.content.activeCellIndex = p.content.widgets.length - 1;
      window.lab.commands.execute('notebook:insert-cell-below');
      const index = p.content.activeCellIndex;
      const c = cell(index);
      c.model.value.text = source;
      watch(c, index);
      return index;
    },
    // run runs cell index as Shift-Enter would, and resolves when it ends.
    run(index) {
      panel().content.activeCellIndex = index;
      return window.lab.commands.execute('notebook:run-cell');
    },

    // outputs describes every output of the code cells: its MIME types,
    // text, and what the page shows of it.
    outputs() {
      const out = [];
      panel().content.widgets.forEach((c, index) => {
        if (c.model.type !== 'code') return;
        const children = c.outputArea.widgets;
        for (let i = 0; i < c.model.outputs.length; i++) {
          const o = c.model.outputs.get(i).toJSON();
          const node = children[i] ? children[i].node : null;
          const vega = node ? node.querySelector('.jp-RenderedVegaCommon5') : null;
          const bar = node ? node.querySelector('progress') : null;
          out.push({
            Cell: index, Index: i, Source: c.model.value.text, Type: o.output_type,
            MIMEs: Object.keys(o.data || {}), Plot: PLOTS.some(m => m in (o.data || {})),
            Error: o.ename || '', Text: String((o.data || {})['text/plain'] || o.text || ''),
            Images: node ? Array.from(node.querySelectorAll('img')).filter(im => im.complete && im.naturalWidth > 0).length : 0,
            Vega: !!vega, VegaDrawn: vega ? vega.querySelectorAll('canvas, svg.marks').length : 0,
            Slider: vega ? !!vega.querySelector('input[type=range]') : false,
            Progress: isProgress(o), Bar: bar ? (bar.hasAttribute('value') ? bar.value : -1) : null,
          });
        }
      });
      return out;
    },
    // drawn waits until every plot of the notebook shows a loaded image
    // or a Vega canvas, or ms pass, and returns outputs().
    async drawn(ms) {
      const ok = o => !o.Plot || o.Images > 0 || o.VegaDrawn > 0;
      try { await until('the plots', () => this.outputs().every(ok), ms); } catch (e) { /* outputs() tells which */ }
      return this.outputs();
    },

    // show scrolls output i of cell index, or the cell where i is not
    // given, into the middle of the notebook.
    async show(index, i) {
      const c = cell(index);
      (i === undefined ? c : c.outputArea.widgets[i]).node.scrollIntoView({block: 'center'});
      await sleep(200);
    },
    // view is the Vega View that output i of cell index drew.
    view: (index, i) => renderer(index, i)._result.view,

    // where is the middle of the first element that matches selector
    // and has the text, if one is given: where to move the mouse to. It
    // waits for the element to show.
    async where(selector, text) {
      const el = await until(selector + ' ' + (text || ''), () => Array.from(document.querySelectorAll(selector))
        .find(e => e.getBoundingClientRect().width > 0 && (!text || e.textContent.trim() === text)), 5000);
      const r = el.getBoundingClientRect();
      return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
    },
    // until waits up to ms for cell index to show an output whose text
    // holds text.
    showing: (index, text, ms) => until('"' + text + '" in cell ' + index, () => {
      const outs = cell(index).model.outputs;
      for (let i = 0; i < outs.length; i++) {
        if (String(outs.get(i).data['text/plain'] || '').includes(text)) return true;
      }
      return false;
    }, ms),

    // timeInterrupt records when the mouse lets go of Kernel → Interrupt
    // Kernel and when cell index then ends, in the page's clock: the
    // kernel goes idle and the cell shows its execution count.
    timeInterrupt(index) {
      const t = window.interruptTimes = {Click: 0, Idle: 0, Count: 0};
      document.addEventListener('mouseup', e => {
        if (!t.Click && e.target.closest('[data-command="kernelmenu:interrupt"]')) t.Click = performance.now();
      }, true);
      kernel().statusChanged.connect((_, status) => {
        if (t.Click && !t.Idle && status === 'idle') t.Idle = performance.now();
      });
      cell(index).model.stateChanged.connect((_, change) => {
        if (t.Click && !t.Count && change.name === 'executionCount' && change.newValue != null) t.Count = performance.now();
      });
    },
    // interruptTimes waits up to ms for the interrupted cell to end and
    // returns the times timeInterrupt recorded.
    async interruptTimes(ms) {
      const t = window.interruptTimes;
      try { await until('the interrupted cell to end', () => t.Idle && t.Count, ms); } catch (e) { /* the zeros tell */ }
      return t;
    },
  };
})();
