// api_validate.js: the API's contract checked by outside validators (issue
// 13): @apidevtools/swagger-parser validates the OpenAPI document, and ajv
// (JSON Schema draft 2020-12, with ajv-formats) validates every response a
// test fetched, and every example in the document, against the schema the
// document gives for its path, status and media type.
//   node api_validate.js DOC MANIFEST
// MANIFEST: lines "PATTERN<TAB>STATUS<TAB>CONTENT-TYPE<TAB>BODY-FILE".
// Prints "PASS what" or "FAIL what: why" lines (api.sh makes them TAP).
'use strict';
const fs = require('fs');
const SwaggerParser = require('@apidevtools/swagger-parser');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const [docPath, manifestPath] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
let failed = 0;
const say = (ok, what, why) => {
	if (!ok) failed++;
	console.log(ok ? `PASS ${what}` : `FAIL ${what}: ${why}`);
};

// The document's schemas as $defs, refs rewritten to point there.
function rewrite(v) {
	if (Array.isArray(v)) return v.map(rewrite);
	if (v && typeof v === 'object') {
		const o = {};
		for (const [k, x] of Object.entries(v))
			o[k] = k === '$ref' && typeof x === 'string' ?
			    x.replace('#/components/schemas/', '#/$defs/') : rewrite(x);
		return o;
	}
	return v;
}
const defs = rewrite(doc.components.schemas);
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addKeyword('example');
const compiled = new Map();
function validator(schema) {
	const key = JSON.stringify(schema);
	if (!compiled.has(key))
		compiled.set(key, ajv.compile({ $defs: defs, ...rewrite(schema) }));
	return compiled.get(key);
}
function response(pattern, status) {
	const op = doc.paths[pattern] && doc.paths[pattern].get;
	if (!op) return null;
	let r = op.responses[String(status)];
	if (r && r.$ref) r = doc.components.responses[r.$ref.split('/').pop()];
	return r || null;
}

async function main() {
	try {
		await SwaggerParser.validate(JSON.parse(JSON.stringify(doc)));
		say(true, 'swagger-parser accepts the OpenAPI document');
	} catch (e) {
		say(false, 'swagger-parser accepts the OpenAPI document', e.message);
	}
	say(doc.openapi === '3.1.0', 'the document is OpenAPI 3.1.0', doc.openapi);
	// Every example in the document fits its own schema.
	let examples = 0, bad = [];
	for (const [p, item] of Object.entries(doc.paths))
		for (const [status, r0] of Object.entries(item.get.responses)) {
			const r = response(p, status);
			for (const [type, media] of Object.entries(r.content || {})) {
				if (media.example === undefined) {
					if (type.includes('json') && status !== '200') bad.push(`${p} ${status}: no example`);
					continue;
				}
				examples++;
				const v = validator(media.schema);
				if (!v(media.example)) bad.push(`${p} ${status} ${type}: ${ajv.errorsText(v.errors)}`);
			}
		}
	say(bad.length === 0 && examples > 0, `the document's ${examples} examples fit their schemas`, bad.join('; '));
	// Every response the test fetched fits the documented schema.
	const lines = fs.readFileSync(manifestPath, 'utf8').split('\n').filter(Boolean);
	for (const line of lines) {
		const [pattern, status, ctype, file] = line.split('\t');
		const what = `${status} from ${pattern} (${file.split('/').pop()}) fits the document`;
		const r = response(pattern, status);
		if (!r) { say(false, what, `no response ${status} documented for ${pattern}`); continue; }
		if (status === '304') { say(true, what); continue; }
		const media = ctype.split(';')[0].trim();
		if (!r.content || !r.content[media]) {
			say(false, what, `no ${media} documented`); continue;
		}
		const body = fs.readFileSync(file, 'utf8');
		let value;
		try { value = media.includes('json') ? JSON.parse(body) : body; } catch (e) {
			say(false, what, `not JSON: ${e.message}`); continue;
		}
		const v = validator(r.content[media].schema);
		say(v(value), what, v.errors && ajv.errorsText(v.errors));
	}
	process.exit(failed ? 1 : 0);
}
main().catch(e => { console.log(`FAIL the validator ran: ${e.stack}`); process.exit(1); });
