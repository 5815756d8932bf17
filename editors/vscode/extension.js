// extension.js: starts `infrac lsp` for .infra files through
// vscode-languageclient (stdin/stdout). The server does the work: diagnostics,
// hover, definition, references, rename, symbols, completion, quick fixes.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('infrac');
  const command = config.get('path') || 'infrac';
  const url = config.get('diagnosticsUrl');
  // An Executable without `transport`: the client talks over stdin/stdout
  // and adds no --stdio argument.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'infra' },
      { scheme: 'untitled', language: 'infra' },
    ],
    initializationOptions: url ? { diagnosticsUrl: url } : {},
  };
  client = new LanguageClient('infrac', 'infrac', serverOptions, clientOptions);
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
