// Package jupyterlab serves a real JupyterLab for tests: JupyterLab 3.6.8
// built from its npm packages with webpack, as JupyterLab's own
// examples/app is built, and served by Debian's jupyterlab_server
// (LabServerApp) on jupyter_server. Debian packages no `jupyterlab`, but
// it does package the server half, and npm has every @jupyterlab package
// of the front end; testdata/app holds the few files that join them:
//
//   - package.json and package-lock.json: the JupyterLab extensions a
//     notebook of Reckon's outputs needs (the notebook, the main menu
//     with its Kernel menu, the file browser, the light theme) and the
//     MIME renderers beyond the standard ones, among them
//     @jupyterlab/vega5-extension, which draws application/vnd.vegalite.v4+json
//     as JupyterLab 3.6 does for its users;
//   - webpack.config.js and index.js: the bundle and the start-up, as in
//     examples/app, with the application left on window.lab so that a test
//     can ask it what it shows;
//   - main.py and templates/index.html: the LabServerApp that serves the
//     bundle, its settings schemas and themes.
//
// [Require] checks that Debian's packages and the npm packages (`npm ci`
// in testdata/app, which .ci/run does) are there; where they are not, a
// test is skipped with the commands that install them, except in CI (CI
// set), where it fails. [Build] runs webpack when the bundle is missing
// or older than its sources (about 15 s on two cores), and [Start] starts
// the server on a free loopback port with a kernelspec folder of the
// test's choosing.
//
// The test of this package opens the example notebooks in that JupyterLab
// in headless Chromium, runs every cell with the Reckon kernel, and checks
// what a user would see: every plot drew, a scatter's tooltip names the
// row, the explore slider recolours the points, progress bars update in
// place, and Kernel → Interrupt from the menu stops a long command within
// a second with the session's variables kept.
package jupyterlab
