// Nodemailer smtp-server (npm smtp-server 3.21.6) for start-smtp-server.sh / start-smtp-server-tls.sh.
//
// usage: node smtp-server-fixture.js PORT MAILDIR NAME [tls CERT.pem KEY.pem]
//   (smtp-server is found through NODE_PATH, which the start scripts set)
//
// Listens on 127.0.0.1:PORT only. Recipients in the test domains (env SMTP_SERVER_DOMAINS,
// default "test.example") and the bare <postmaster> (RFC 5321 section 4.5.1) are accepted and
// each message is stored as one file in the maildir MAILDIR; every other recipient is refused at
// RCPT (550 5.7.1 Relaying denied), and nothing here sends mail anywhere. With "tls", STARTTLS is
// offered with CERT/KEY (smtp-server then refuses AUTH before STARTTLS with 538); without it
// STARTTLS is disabled (smtp-server would otherwise offer it with a certificate of its own). AUTH
// PLAIN, LOGIN and CRAM-MD5 for harness / harness-test-password (env SMTP_SERVER_AUTH_USER,
// SMTP_SERVER_AUTH_PASSWORD) are optional. SIZE 10485760; everything else is smtp-server's default
// (PIPELINING, 8BITMIME, SMTPUTF8; no ENHANCEDSTATUSCODES, DSN or REQUIRETLS).
//
// No DNS: reverse lookups of clients are off and the greeting name is given (smtp-server would
// otherwise resolve each client and use os.hostname()); the start scripts also run this in a mount
// namespace whose resolv.conf points at 127.0.0.1 only. Binds as root, then runs as nobody.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const { SMTPServer } = require('smtp-server');
const smtpServerVersion = require('smtp-server/package.json').version;

const [portArg, maildir, name, mode, certFile, keyFile] = process.argv.slice(2);
const port = parseInt(portArg, 10);
if (!port || !maildir || !name || (mode && (mode !== 'tls' || !certFile || !keyFile))) {
  console.error('usage: node smtp-server-fixture.js PORT MAILDIR NAME [tls CERT.pem KEY.pem]');
  process.exit(2);
}
const tls = mode === 'tls';
const domains = new Set((process.env.SMTP_SERVER_DOMAINS || 'test.example').toLowerCase().split(/\s+/).filter(Boolean));
const authUser = process.env.SMTP_SERVER_AUTH_USER || 'harness';
const authPassword = process.env.SMTP_SERVER_AUTH_PASSWORD || 'harness-test-password';

function stamp() {
  return new Date().toISOString();
}
// smtp-server calls logger.info({tnx, cid, ...}, format, ...args), bunyan style
function log(level, args) {
  let meta = '';
  if (args.length && typeof args[0] === 'object' && args[0] !== null) {
    const m = args.shift();
    meta = '[' + [m.tnx, m.cid].filter(Boolean).join(' ') + '] ';
  }
  process.stderr.write(stamp() + ' ' + level + ' ' + meta + util.format(...args) + '\n');
}
// keep info and above, drop the per-command debug lines
const logger = {
  trace() {}, debug() {},
  info(...a) { log('INFO', a); }, warn(...a) { log('WARN', a); }, error(...a) { log('ERROR', a); }, fatal(...a) { log('FATAL', a); },
  child() { return logger; },
};

function accepts(address) {
  const a = String(address || '').toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0) return a === 'postmaster';
  return domains.has(a.slice(at + 1));
}

let counter = 0;
function storeMessage(session, body) {
  const env = session.envelope;
  const trace = 'Return-Path: <' + (env.mailFrom ? env.mailFrom.address : '') + '>\r\n'
    + 'X-RcptTo: ' + env.rcptTo.map(r => r.address).join(', ') + '\r\n'
    + 'X-Peer: ' + session.remoteAddress + '\r\n';
  const file = Date.now() + '.' + process.pid + '_' + (++counter) + '.smtp-server';
  const tmp = path.join(maildir, 'tmp', file);
  fs.writeFileSync(tmp, Buffer.concat([Buffer.from(trace, 'utf8'), body]), { mode: 0o600 });
  fs.renameSync(tmp, path.join(maildir, 'new', file));
}

const options = {
  name,
  banner: 'smtp-harness test instance',
  size: 10485760,
  authOptional: true,
  authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
  disableReverseLookup: true,
  logger,
  onAuth(auth, session, callback) {
    const ok = auth.username === authUser
      && (auth.method === 'CRAM-MD5' ? auth.validatePassword(authPassword) : auth.password === authPassword);
    if (ok) return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, session, callback) {
    if (accepts(address.address)) return callback();
    const e = new Error('5.7.1 Relaying denied');
    e.responseCode = 550;
    return callback(e);
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', c => chunks.push(c));
    stream.on('error', e => callback(e));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const e = new Error('Message exceeds fixed maximum message size');
        e.responseCode = 552;
        return callback(e);
      }
      try {
        storeMessage(session, Buffer.concat(chunks));
      } catch (e) {
        log('ERROR', ['cannot store message:', String(e)]);
        const err = new Error('Cannot store message');
        err.responseCode = 451;
        return callback(err);
      }
      return callback(null, 'Message accepted');
    });
  },
};
if (tls) {
  options.key = fs.readFileSync(keyFile); // as root: the key stays 0600
  options.cert = fs.readFileSync(certFile);
} else {
  options.disabledCommands = ['STARTTLS'];
}

const server = new SMTPServer(options);
server.on('error', e => log('ERROR', ['server error', e && e.message]));
server.listen(port, '127.0.0.1', () => {
  if (process.getuid && process.getuid() === 0) {
    process.setgroups([]);
    process.setgid('nogroup');
    process.setuid('nobody');
  }
  log('INFO', ['smtp-server ' + smtpServerVersion + ' (node ' + process.version + ') on 127.0.0.1:' + port
    + (tls ? ' with STARTTLS' : ' without STARTTLS') + ', maildir ' + maildir]);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    log('INFO', ['stopping on ' + sig]);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
