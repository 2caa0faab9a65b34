// Builds JupyterLab 3.6.8 into build/, as JupyterLab's examples/app does:
// one bundle of the extensions package.json lists, beside the settings
// schemas, themes and style.js that @jupyterlab/builder gathers from them.
// Development mode without source maps: minifying would double the build
// time of a bundle that is only ever served on the loopback.
const path = require('path');
const webpack = require('webpack');
const Build = require('@jupyterlab/builder').Build;
const data = require('./package.json');

const output = path.join(__dirname, 'build');

module.exports = [
  {
    entry: ['whatwg-fetch', './index.js'],
    output: { path: output, filename: 'bundle.js' },
    bail: true,
    devtool: false,
    mode: 'development',
    module: {
      rules: [
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.html$/, use: 'file-loader' },
        { test: /\.md$/, use: 'raw-loader' },
        { test: /\.(jpg|png|gif)$/, use: 'file-loader' },
        { test: /\.js.map$/, use: 'file-loader' },
        { test: /\.(woff2?|ttf)(\?v=\d+\.\d+\.\d+)?$/, type: 'asset/inline' },
        { test: /\.eot(\?v=\d+\.\d+\.\d+)?$/, use: 'file-loader' },
        {
          // In CSS, an svg is a data URI.
          test: /\.svg(\?v=\d+\.\d+\.\d+)?$/,
          issuer: /\.css$/,
          use: { loader: 'svg-url-loader', options: { encoding: 'none', limit: 10000 } }
        },
        {
          // In scripts, an svg is its text (JupyterLab's LabIcons).
          test: /\.svg(\?v=\d+\.\d+\.\d+)?$/,
          issuer: /\.js$/,
          use: { loader: 'raw-loader' }
        }
      ]
    },
    plugins: [
      new webpack.DefinePlugin({
        // Blueprint and the path polyfill read these.
        'process.env': '{}',
        process: { cwd: () => '/' }
      })
    ]
  }
].concat(
  Build.ensureAssets({
    packageNames: data.jupyterlab.extensions,
    output
  })
);
