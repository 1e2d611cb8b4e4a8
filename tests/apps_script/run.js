// Runs helpt's generated Apps Script in Node.js with small fakes of the Google services it calls.
//
//   node run.js SCRIPT STATE ACTION [ARG...]
//
// STATE is a JSON file holding what Google would keep between runs: script
// properties, triggers, forms and their responses. ACTION is one of
//   create                      run createForms(), as a person does once in the editor
//   set-property KEY VALUE      as a person does under Project settings
//   submit FORM LANG ANSWERS    a respondent sends a Google Form (ANSWERS: JSON {title: answer})
//   minute                      a minute passes: every time-driven trigger runs
// The fakes are faithful where the script depends on them: UrlFetchApp makes a
// real HTTP request (and throws when nothing answers, as Google's does),
// Utilities computes a real HMAC-SHA256 and returns signed bytes like Apps
// Script's Byte[], and the properties persist from run to run.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const vm = require('vm');
const { spawnSync } = require('child_process');

const [scriptPath, statePath, action, ...args] = process.argv.slice(2);
const state = fs.existsSync(statePath)
  ? JSON.parse(fs.readFileSync(statePath, 'utf8'))
  : { properties: {}, triggers: [], forms: {}, nextId: 1 };
const log = [];

function save() {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
}

// --- FormApp: forms with items and responses ---------------------------------------------
function chain(item) {
  for (const name of ['setTitle', 'setHelpText', 'setRequired', 'setChoiceValues']) {
    item[name] = (value) => {
      item.data[name.slice(3).toLowerCase()] = value;
      return item;
    };
  }
  return item;
}

function formObject(id) {
  const data = state.forms[id];
  if (!data) throw new Error('No item with the given ID could be found: ' + id);
  const addItem = (kind) => () => {
    const item = chain({ data: { kind } });
    data.items.push(item.data);
    return item;
  };
  return {
    getId: () => id,
    setDescription: (text) => { data.description = text; },
    setCollectEmail: (on) => { data.collectEmail = on; },
    getPublishedUrl: () => 'https://docs.google.com/forms/d/e/' + id + '/viewform',
    addCheckboxItem: addItem('checkbox'),
    addParagraphTextItem: addItem('paragraph'),
    addTextItem: addItem('text'),
    getResponse: (responseId) => {
      const found = data.responses[responseId];
      if (!found) throw new Error('No response with ID ' + responseId + ' exists for this form.');
      return responseObject(responseId, found);
    },
  };
}

function responseObject(responseId, answers) {
  return {
    getId: () => responseId,
    getItemResponses: () => Object.keys(answers).map((title) => ({
      getItem: () => ({ getTitle: () => title }),
      getResponse: () => answers[title],
    })),
  };
}

const FormApp = {
  create: (title) => {
    const id = 'form-' + state.nextId++;
    state.forms[id] = { title, items: [], responses: {} };
    return formObject(id);
  },
  openById: formObject,
};

// --- PropertiesService ---------------------------------------------------------------------
const scriptProperties = {
  getProperty: (key) => (key in state.properties ? state.properties[key] : null),
  setProperty: (key, value) => {
    if (String(value).length > 9 * 1024) throw new Error('Argument too large: value');
    state.properties[key] = String(value);
    return scriptProperties;
  },
  deleteProperty: (key) => { delete state.properties[key]; return scriptProperties; },
  getProperties: () => Object.assign({}, state.properties),
  getKeys: () => Object.keys(state.properties),
};
const PropertiesService = { getScriptProperties: () => scriptProperties };

// --- ScriptApp: triggers ------------------------------------------------------------------
function triggerBuilder(handler) {
  const trigger = { handler };
  const builder = {
    forForm: (form) => { trigger.formId = form.getId(); return builder; },
    onFormSubmit: () => { trigger.kind = 'formSubmit'; return builder; },
    timeBased: () => { trigger.kind = 'clock'; return builder; },
    everyMinutes: (n) => {
      if (![1, 5, 10, 15, 30].includes(n)) throw new Error('everyMinutes: 1, 5, 10, 15 or 30');
      trigger.minutes = n;
      return builder;
    },
    create: () => { state.triggers.push(trigger); return trigger; },
  };
  return builder;
}
const ScriptApp = {
  newTrigger: triggerBuilder,
  getProjectTriggers: () => state.triggers.map((t) => ({ getHandlerFunction: () => t.handler })),
};

// --- Utilities: a real HMAC, as signed bytes ---------------------------------------------------
const Utilities = {
  Charset: { UTF_8: 'UTF-8' },
  computeHmacSha256Signature: (value, key, charset) => {
    if (charset !== 'UTF-8') throw new Error('unexpected charset ' + charset);
    const digest = crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(Buffer.from(value, 'utf8')).digest();
    return Array.from(digest, (b) => (b > 127 ? b - 256 : b));
  },
};

// --- UrlFetchApp: real HTTP, synchronous as Apps Script's is -----------------------------------
const FETCH = `
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  const r = JSON.parse(input);
  try {
    const reply = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body,
                                       signal: AbortSignal.timeout(20000) });
    process.stdout.write(JSON.stringify({ status: reply.status, text: await reply.text() }));
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: String(err.cause || err) }));
  }
});`;
const UrlFetchApp = {
  fetch: (url, params) => {
    const headers = Object.assign({ 'Content-Type': params.contentType }, params.headers || {});
    const run = spawnSync(process.execPath, ['-e', FETCH], {
      input: JSON.stringify({ url, method: (params.method || 'get').toUpperCase(), headers, body: params.payload }),
      encoding: 'utf8',
    });
    const result = JSON.parse(run.stdout);
    if (result.error) throw new Error('Exception: Address unavailable: ' + url + ' (' + result.error + ')');
    if (!params.muteHttpExceptions && result.status >= 400) {
      throw new Error('Request failed for ' + url + ' returned code ' + result.status);
    }
    return { getResponseCode: () => result.status, getContentText: () => result.text };
  },
};

const Logger = { log: (message) => log.push(String(message)) };

// --- Run ------------------------------------------------------------------------------------
const context = vm.createContext({ FormApp, PropertiesService, ScriptApp, Utilities, UrlFetchApp, Logger,
                                   JSON, Math, Date, Object, Array, String });
vm.runInContext(fs.readFileSync(scriptPath, 'utf8'), context, { filename: scriptPath });

function formFor(form, lang) {
  for (const [id] of Object.entries(state.forms)) {
    const which = JSON.parse(state.properties['form:' + id] || 'null');
    if (which && which.form === form && which.lang === lang) return id;
  }
  throw new Error('no form ' + form + ' ' + lang + ': run create first');
}

try {
  if (action === 'create') {
    context.createForms();
  } else if (action === 'set-property') {
    scriptProperties.setProperty(args[0], args[1]);
  } else if (action === 'submit') {
    const formId = formFor(args[0], args[1]);
    const responseId = '2_' + crypto.randomBytes(12).toString('hex');
    state.forms[formId].responses[responseId] = JSON.parse(args[2]);
    save();  // Google stores the response before any trigger runs
    for (const t of state.triggers) {
      if (t.kind === 'formSubmit' && t.formId === formId) {
        context[t.handler]({ source: formObject(formId), response: responseObject(responseId,
          state.forms[formId].responses[responseId]) });
      }
    }
    log.push('response ' + responseId);
  } else if (action === 'minute') {
    for (const t of state.triggers) {
      if (t.kind === 'clock') context[t.handler]({});
    }
  } else {
    throw new Error('unknown action ' + action);
  }
} finally {
  save();
  process.stdout.write(JSON.stringify({ log }) + '\n');
}
