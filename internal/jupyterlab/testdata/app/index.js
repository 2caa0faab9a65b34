// JupyterLab 3.6.8 with the extensions package.json lists, started as
// JupyterLab's examples/app starts it. The application is window.lab, so
// that a test can ask it what it shows.
import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

// The public path must be set before the CSS loads.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

const styles = import('./build/style.js');

// As package.json's jupyterlab.extensions, less the MIME renderers.
const extensions = [
  import('@jupyterlab/application-extension'),
  import('@jupyterlab/apputils-extension'),
  import('@jupyterlab/codemirror-extension'),
  import('@jupyterlab/docmanager-extension'),
  import('@jupyterlab/filebrowser-extension'),
  import('@jupyterlab/fileeditor-extension'),
  import('@jupyterlab/mainmenu-extension'),
  import('@jupyterlab/notebook-extension'),
  import('@jupyterlab/rendermime-extension'),
  import('@jupyterlab/statusbar-extension'),
  import('@jupyterlab/theme-light-extension'),
  import('@jupyterlab/translation-extension'),
  import('@jupyterlab/ui-components-extension')
];

// The MIME renderers a notebook of Reckon's outputs needs beyond the
// standard ones: Vega-Lite, JSON and JavaScript.
const mimeExtensions = [
  import('@jupyterlab/javascript-extension'),
  import('@jupyterlab/json-extension'),
  import('@jupyterlab/vega5-extension')
];

// The plugins this lab leaves out: two that need the code console, which
// it does not have, and the one that offers to fetch Jupyter's news from
// the internet.
const leftOut = [
  '@jupyterlab/statusbar-extension:kernel-status',
  '@jupyterlab/statusbar-extension:line-col-status',
  '@jupyterlab/apputils-extension:announcements'
];

window.addEventListener('load', async function () {
  await styles;
  const lab = new JupyterLab({ mimeExtensions: await Promise.all(mimeExtensions) });
  const plugins = (await Promise.all(extensions)).flatMap(m =>
    Array.isArray(m.default) ? m.default : [m.default]
  );
  lab.registerPlugins(plugins.filter(p => !leftOut.includes(p.id)));
  window.lab = lab;
  await lab.start();
  await lab.restored;
  document.body.dataset.labRestored = 'true';
});
