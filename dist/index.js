import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:module"
const external_node_module_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");
;// CONCATENATED MODULE: ./src/system/crypto.ts


const crypto_require = (0,external_node_module_namespaceObject.createRequire)(import.meta.url);
/**
 * node:crypto, loaded on first use: loading it costs about 3 ms of every start-up, and a run
 * needs it only for sharding's digests or where there is no /dev/urandom.
 */
function nodeCrypto() {
    return crypto_require('node:crypto');
}
/** Bytes read ahead for small requests: a run takes a UUID per output (as crypto does, pooled). */
const POOL_SIZE = 1024;
let pool;
let poolOffset = POOL_SIZE;
/** `size` bytes from the operating system's CSPRNG; each byte is handed out once. */
function randomBytes(size) {
    if (!Number.isInteger(size) || size < 0) {
        throw new RangeError(`Expected size to be a whole number from 0 and up, got ${size}`);
    }
    if (size > 64)
        return readRandom(size);
    if (pool === undefined || poolOffset + size > POOL_SIZE) {
        pool = readRandom(POOL_SIZE);
        poolOffset = 0;
    }
    const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
    poolOffset += size;
    return bytes;
}
function readRandom(size) {
    if (process.platform !== 'win32') {
        const bytes = readUrandom(size);
        if (bytes)
            return bytes;
    }
    return nodeCrypto().randomBytes(size);
}
/** A random (version 4) UUID, as crypto.randomUUID() gives. */
function randomUUID() {
    const bytes = randomBytes(16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function readUrandom(size) {
    let fd;
    try {
        fd = external_node_fs_namespaceObject.openSync('/dev/urandom', 'r');
        const bytes = Buffer.alloc(size);
        for (let offset = 0; offset < size;) {
            const read = external_node_fs_namespaceObject.readSync(fd, bytes, offset, size - offset, null);
            if (read <= 0)
                return undefined;
            offset += read;
        }
        return bytes;
    }
    catch {
        return undefined;
    }
    finally {
        if (fd !== undefined)
            external_node_fs_namespaceObject.closeSync(fd);
    }
}

;// CONCATENATED MODULE: ./src/action/command-syntax.ts
/*
 * How the GitHub Actions runner reads workflow commands from an action's output, as checked in the
 * actions/runner sources (the guard and the checks that use this module must stay in step with
 * them):
 *
 * - src/Runner.Sdk/ProcessInvoker.cs, StartReadStream: stdout and stderr are read with
 *   StreamReader.ReadLine, so "\n", "\r" and "\r\n" each end a line. stdout and stderr are queued
 *   separately, so only output on one stream keeps its order (everything here goes to stdout).
 * - src/Runner.Worker/Handlers/OutputManager.cs, OnDataReceived: every line that contains "##[" or
 *   "::" goes to ActionCommandManager.TryProcessCommand; a line it does not take is written to the
 *   log as it is (secret masking and problem matchers still apply).
 * - src/Runner.Common/ActionCommand.cs:
 *   TryParseV2: message.TrimStart() (.NET white space: \t \v \f and space, NEL, NBSP and the
 *   Unicode space, line and paragraph separators), then it must start with "::"; the command info
 *   runs to the next "::" and the name to its first space; the name must be registered.
 *   TryParse (legacy form): the FIRST "##[" anywhere in the line, info up to the next "]", name up
 *   to its first space, and again the name must be registered.
 * - src/Runner.Worker/ActionCommandManager.cs, TryProcessCommand: TryParseV2 first, TryParse only
 *   when V2 fails. Registered names are matched with OrdinalIgnoreCase ("::ERROR::" is an error).
 *   "::stop-commands::TOKEN" (or "##[stop-commands]TOKEN") stops processing and registers TOKEN as
 *   a command name; while stopped every parsed command except TOKEN returns false, so the line is
 *   logged verbatim, in the V2 and the legacy form alike; "::TOKEN::" (or "##[TOKEN]") resumes.
 *   The stop and the resume lines themselves are echoed to the log (context.Output(input)): they
 *   are not hidden, but newer runners mask the token for the whole run (ActionCommandManagerL0,
 *   StopProcessCommandMasksValidTokenForEntireRun) and refuse an empty token, "pause-logging" or
 *   a registered command name (StopProcessCommand__FailOnInvalidStopTokens).
 *
 * Two .NET details make the checks conservative rather than exact: String.StartsWith and
 * String.IndexOf(string) compare with the current culture (ICU on Linux), which skips ignorable
 * characters such as controls and zero-width ones; and on Windows the output may be decoded with a
 * legacy code page, where other bytes are white space. Because the command name is always taken
 * at a fixed offset (2 after "::", 3 after "##["), an ignorable character inside or before the
 * prefix shifts the name and it no longer matches, so only a plain "::" at the start (after white
 * space) or a plain "##[" can start a command; but any control byte or byte >= 0x7f before "::"
 * is treated as possible white space.
 */
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const BRACKET = 0x5b;
/** The legacy form's prefix, which starts a command anywhere in a line. */
const LEGACY_PREFIX = Buffer.from('##[');
/** The V2 commands `annotations` mode lets through, lower case. */
const ANNOTATION_NAMES = ['error', 'warning', 'notice', 'debug'].map(name => Buffer.from(name));
/** Whether a byte ends a line for the runner. */
function isLineBreak(b) {
    return b === LF || b === CR;
}

;// CONCATENATED MODULE: ./src/action/chunk-search.ts

/** A position not searched for yet; -1 means none in the rest of the chunk. */
const NOT_SEARCHED = -2;
/**
 * The next line break and the next "##[" in a chunk, each searched once per chunk and position
 * rather than once per line, so that a chunk without any costs one scan.
 */
class ChunkSearch {
    chunk = Buffer.alloc(0);
    lfAt = NOT_SEARCHED;
    crAt = NOT_SEARCHED;
    legacyAt = NOT_SEARCHED;
    /** Starts on a new chunk. */
    reset(chunk) {
        this.chunk = chunk;
        this.lfAt = NOT_SEARCHED;
        this.crAt = NOT_SEARCHED;
        this.legacyAt = NOT_SEARCHED;
    }
    /** The index of the first "\n" or "\r" from `from` on, or -1. */
    nextBreak(from) {
        if (this.lfAt !== -1 && this.lfAt < from)
            this.lfAt = this.chunk.indexOf(LF, from);
        if (this.crAt !== -1 && this.crAt < from)
            this.crAt = this.chunk.indexOf(CR, from);
        if (this.lfAt < 0)
            return this.crAt;
        if (this.crAt < 0)
            return this.lfAt;
        return Math.min(this.lfAt, this.crAt);
    }
    /** The index of the first "##[" from `from` on, or -1. */
    nextLegacy(from) {
        if (this.legacyAt !== -1 && this.legacyAt < from) {
            this.legacyAt = this.chunk.indexOf(LEGACY_PREFIX, from);
        }
        return this.legacyAt;
    }
}

;// CONCATENATED MODULE: ./src/action/guard-output.ts

const EMPTY = Buffer.alloc(0);
/**
 * The buffers one call of a guard returns: runs of the chunk as views of it, the guard's own lines,
 * and the start of a line it held back from an earlier chunk (copied).
 */
class GuardOutput {
    out = [];
    chunk = EMPTY;
    emitFrom = 0;
    held = [];
    heldBytes = 0;
    lastByte = LF;
    /** True when everything returned so far ends at a line break (or nothing was returned). */
    get atLineStart() {
        return isLineBreak(this.lastByte);
    }
    /** How many bytes are held back. */
    get heldLength() {
        return this.heldBytes;
    }
    /** Whether any bytes are held back. */
    get isHolding() {
        return this.held.length > 0;
    }
    /** Starts on a chunk, none of it emitted yet. */
    begin(chunk) {
        this.chunk = chunk;
        this.emitFrom = 0;
    }
    /** Emits the chunk from where the last run ended up to `end`, as one view (or the chunk itself). */
    flushTo(end) {
        if (end <= this.emitFrom)
            return;
        const chunk = this.chunk;
        this.emit(this.emitFrom === 0 && end === chunk.length ? chunk : chunk.subarray(this.emitFrom, end));
        this.emitFrom = end;
    }
    /** Emits a buffer as it is. */
    emit(buffer) {
        if (buffer.length === 0)
            return;
        this.out.push(buffer);
        this.lastByte = buffer[buffer.length - 1];
    }
    /** Emits the chunk up to `from`, and holds back the rest of it. */
    hold(from) {
        this.flushTo(from);
        const part = this.chunk.length - from;
        if (part > 0) {
            // Copied: the caller may reuse the chunk once write() returns.
            this.held.push(Buffer.from(this.chunk.subarray(from)));
            this.heldBytes += part;
        }
        this.emitFrom = this.chunk.length;
    }
    /** Emits what was held back. */
    releaseHeld() {
        for (const part of this.held)
            this.emit(part);
        this.held = [];
        this.heldBytes = 0;
    }
    /** The buffers emitted since the last call; lets go of the chunk. */
    take() {
        const out = this.out;
        this.out = [];
        this.chunk = EMPTY;
        this.emitFrom = 0;
        return out;
    }
}

;// CONCATENATED MODULE: ./src/action/line-start.ts

// Neither exported nor imported: skipBlanks reads them for every byte of leading white space, and
// V8 reads an exported or imported binding through a cell every time (decision 002).
/** What a byte at the start of a line (before any other character) can be. */
const OTHER = 0;
/** White space for .NET in every encoding: \t \v \f and space. */
const BLANK = 1;
/**
 * Possibly white space or ignorable for the runner: other controls, DEL and every byte >= 0x80
 * (UTF-8 encodes the Unicode spaces with them; code pages have NBSP, NEL, ideographic space...).
 */
const MAYBE_BLANK = 2;
/** A line break. */
const BREAK = 3;
/** The class (OTHER, BLANK, MAYBE_BLANK or BREAK) of each byte at the start of a line. */
const LEAD_CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
    if (b === LF || b === CR)
        LEAD_CLASS[b] = BREAK;
    else if (b === 0x09 || b === 0x0b || b === 0x0c || b === SPACE)
        LEAD_CLASS[b] = BLANK;
    else if (b < SPACE || b >= 0x7f)
        LEAD_CLASS[b] = MAYBE_BLANK;
    else
        LEAD_CLASS[b] = OTHER;
}
/** Where the white space at the start of `line` ends; bytes that may be white space count when `uncertain`. */
function leadingBlanks(line, uncertain) {
    let i = 0;
    while (i < line.length) {
        const lead = LEAD_CLASS[line[i]];
        if (lead === BLANK || (lead === MAYBE_BLANK && uncertain))
            i++;
        else
            break;
    }
    return i;
}
/** Reads the first bytes of a line until it can tell whether the runner would act on it. */
class LineStart {
    state = 'start';
    /** '#' (up to 2) that ended what was read of the line, for a "##[" split across chunks. */
    hashRun = 0;
    /** What the last step found the line to be; the caller acts on it and resets it. */
    verdict = undefined;
    uncertainBlank = false;
    nameIndex = 0;
    nameLength = 0;
    previousColon = false;
    sawLegacy = false;
    /** Starts reading a new line. */
    restart() {
        this.state = 'start';
        this.uncertainBlank = false;
    }
    /** Forgets the line: what the start of a stream needs. */
    reset() {
        this.restart();
        this.hashRun = 0;
    }
    /** Whether the line is being read and not decided yet. */
    get isUndecided() {
        return this.state !== 'start' && this.state !== 'pass';
    }
    /** Reads byte `i` of `chunk`, not a line break; returns where to go on (`i` to read it again). */
    step(chunk, i, open) {
        const b = chunk[i];
        switch (this.state) {
            case 'start':
            case 'blanks':
                return this.atLead(chunk, b, i, open);
            case 'colon1':
                return this.afterColon(b, i, open);
            case 'name':
                return this.inName(b, i);
            case 'name-colon':
                return this.decided(b === COLON ? 'annotation' : 'forbidden', i + 1);
            case 'await-separator':
                return this.beforeSeparator(b, i);
            default:
                throw new Error(`CommandGuard: unexpected state ${this.state}`);
        }
    }
    /** What the line is if it ends here, undecided. */
    kindAtLineEnd() {
        switch (this.state) {
            case 'name':
            case 'name-colon':
                // "::" and then no annotation: possibly a command, cheap to neutralise.
                return 'forbidden';
            case 'await-separator':
                // No "::" after the name, so TryParseV2 fails and the legacy form decides.
                return this.sawLegacy ? 'forbidden' : 'plain';
            default:
                return 'plain';
        }
    }
    /** 'start', 'blanks': white space, or the first ':' of a V2 command, or neither. */
    atLead(chunk, b, i, open) {
        if (!open) {
            const j = this.skipBlanks(chunk, b, i);
            if (j > i)
                return j;
        }
        const lead = LEAD_CLASS[b];
        if (lead === BLANK) {
            this.state = 'blanks';
            return i + 1;
        }
        if (lead === MAYBE_BLANK) {
            // Such a line is never let through as an annotation.
            if (open)
                return this.decided('plain', i + 1);
            this.uncertainBlank = true;
            this.state = 'blanks';
            return i + 1;
        }
        if (b === COLON) {
            this.state = 'colon1';
            return i + 1;
        }
        return this.notV2(i, open);
    }
    /** Skips the white space from byte `i` (value `b`) on; returns where it ends. */
    skipBlanks(chunk, b, i) {
        // A tight loop: text in non-Latin scripts is all bytes >= 0x80, possible white space to the
        // runner, so a whole line can be walked here.
        const n = chunk.length;
        let j = i;
        let lead = LEAD_CLASS[b];
        while (lead === BLANK || lead === MAYBE_BLANK) {
            if (lead === MAYBE_BLANK)
                this.uncertainBlank = true;
            this.state = 'blanks';
            if (++j === n)
                return j;
            lead = LEAD_CLASS[chunk[j]];
        }
        return j;
    }
    /** 'colon1': a second ':' starts a V2 command, an annotation only after certain white space. */
    afterColon(b, i, open) {
        if (b !== COLON)
            return this.notV2(i, open);
        if (this.uncertainBlank)
            return this.decided('forbidden', i + 1);
        this.state = 'name';
        this.nameLength = 0;
        return i + 1;
    }
    /** 'name': the next letter of an annotation name, in either case. */
    inName(b, i) {
        const lower = b | 0x20;
        if (this.nameLength === 0) {
            const index = ANNOTATION_NAMES.findIndex(name => name[0] === lower);
            if (index < 0)
                return this.decided('forbidden', i + 1);
            this.nameIndex = index;
        }
        else {
            const name = ANNOTATION_NAMES[this.nameIndex];
            if (this.nameLength === name.length)
                return this.afterName(b, i);
            // `b | 0x20` equals a lower-case letter only for that letter and its capital.
            if (name[this.nameLength] !== lower)
                return this.decided('forbidden', i + 1);
        }
        this.nameLength++;
        return i + 1;
    }
    /** The byte after a whole annotation name: ' ' (command info follows) or ':'. */
    afterName(b, i) {
        if (b === SPACE) {
            this.state = 'await-separator';
            this.previousColon = false;
            this.hashRun = 0;
            this.sawLegacy = false;
            return i + 1;
        }
        if (b === COLON) {
            this.state = 'name-colon';
            return i + 1;
        }
        return this.decided('forbidden', i + 1);
    }
    /** 'await-separator': "::" ends the command info; a "##[" on the way counts at the line end. */
    beforeSeparator(b, i) {
        if (b === COLON) {
            if (this.previousColon)
                return this.decided('annotation', i + 1);
            this.previousColon = true;
            this.hashRun = 0;
            return i + 1;
        }
        this.previousColon = false;
        if (b === HASH) {
            if (this.hashRun < 2)
                this.hashRun++;
        }
        else {
            if (b === BRACKET && this.hashRun === 2)
                this.sawLegacy = true;
            this.hashRun = 0;
        }
        return i + 1;
    }
    /** The line cannot be a V2 command (it does not start with "::"). */
    notV2(i, open) {
        // Already neutralised, and no annotation: nothing to look for until the line ends.
        if (open)
            return this.decided('plain', i);
        this.state = 'ordinary';
        return i;
    }
    /** The line is of `kind`: the rest of it passes; returns `next`. */
    decided(kind, next) {
        this.verdict = kind;
        this.state = 'pass';
        return next;
    }
}

;// CONCATENATED MODULE: ./src/action/annotation-filter.ts




const annotation_filter_EMPTY = Buffer.alloc(0);
/** Most of one line the guard holds back while it cannot tell yet whether to neutralise it. */
const MAX_HELD_BYTES = 64 * 1024;
/** `annotations`: annotation lines act, every other line that may be a command is neutralised. */
class AnnotationFilter {
    wrap;
    output = new GuardOutput();
    search = new ChunkSearch();
    line = new LineStart();
    chunk = annotation_filter_EMPTY;
    lineStart = 0;
    constructor(wrap) {
        this.wrap = wrap;
    }
    get atLineStart() {
        return this.output.atLineStart;
    }
    write(chunk) {
        if (chunk.length === 0)
            return [];
        this.chunk = chunk;
        this.output.begin(chunk);
        this.search.reset(chunk);
        this.lineStart = 0;
        const carriedHashes = this.line.state === 'ordinary' ? this.line.hashRun : 0;
        if (carriedHashes > 0 && completesLegacyPrefix(chunk, carriedHashes))
            this.forbidRest();
        this.readLines();
        if (this.line.isUndecided)
            this.holdLine(carriedHashes);
        this.output.flushTo(chunk.length);
        this.chunk = annotation_filter_EMPTY;
        return this.output.take();
    }
    end() {
        this.output.begin(annotation_filter_EMPTY);
        this.lineStart = 0;
        if (this.line.isUndecided)
            this.decide(this.line.kindAtLineEnd());
        if (this.wrap.isOpen)
            this.output.emit(this.wrap.close(!this.output.atLineStart));
        this.line.reset();
        return this.output.take();
    }
    /** Holds back the undecided start of a line, or neutralises it when that would be too long. */
    holdLine(carriedHashes) {
        if (this.output.heldLength + this.chunk.length - this.lineStart > MAX_HELD_BYTES) {
            // Too long to wait for: neutralise it (when open, simply do not close for it).
            this.forbidRest();
            return;
        }
        if (this.line.state === 'ordinary')
            this.line.hashRun = this.trailingHashes(carriedHashes);
        this.output.hold(this.lineStart);
    }
    /** Reads the chunk line by line. */
    readLines() {
        // Not inlined in write(): V8 would then recompile write() at every call (decision 002).
        const n = this.chunk.length;
        for (let i = 0; i < n;)
            i = this.advance(i);
    }
    /** Reads on from `i` as the line's state says; returns where to go on. */
    advance(i) {
        switch (this.line.state) {
            case 'pass':
                return this.passRest(i);
            case 'ordinary':
                return this.watchForLegacy(i);
            default:
                return this.leadByte(i);
        }
    }
    /** 'pass': skips to the next line. */
    passRest(i) {
        const lineBreak = this.search.nextBreak(i);
        return lineBreak < 0 ? this.chunk.length : this.startLine(lineBreak + 1);
    }
    /** 'ordinary': a "##[" before the line ends makes it forbidden, else it is plain. */
    watchForLegacy(i) {
        const lineBreak = this.search.nextBreak(i);
        const legacy = this.search.nextLegacy(i);
        if (legacy >= 0 && (lineBreak < 0 || legacy < lineBreak)) {
            this.forbidRest();
            return legacy + LEGACY_PREFIX.length;
        }
        if (lineBreak < 0)
            return this.chunk.length;
        this.decide('plain');
        return this.startLine(lineBreak + 1);
    }
    /** One byte at the start of a line: a line break decides it, else LineStart reads it. */
    leadByte(i) {
        if (isLineBreak(this.chunk[i])) {
            this.decide(this.line.kindAtLineEnd());
            return this.startLine(i + 1);
        }
        const next = this.line.step(this.chunk, i, this.wrap.isOpen);
        const verdict = this.line.verdict;
        if (verdict !== undefined) {
            this.line.verdict = undefined;
            this.decide(verdict);
        }
        return next;
    }
    /** The line is forbidden: the rest of it passes, inside a wrap. */
    forbidRest() {
        this.decide('forbidden');
        this.line.state = 'pass';
    }
    /** Starts a new line at `i`; returns `i`. */
    startLine(i) {
        this.line.restart();
        this.lineStart = i;
        return i;
    }
    /** The current line is of `kind`: opens or closes a wrap before it if need be, releases it. */
    decide(kind) {
        const wrap = this.wrap;
        const change = kind === 'forbidden' ? !wrap.isOpen : kind === 'annotation' && wrap.isOpen && wrap.mayReopen;
        if (!change && !this.output.isHolding)
            return;
        this.output.flushTo(this.lineStart);
        if (change)
            this.output.emit(wrap.isOpen ? wrap.close() : wrap.open());
        this.output.releaseHeld();
    }
    /** How many '#' (up to 2) end the current line's bytes so far. */
    trailingHashes(carried) {
        const chunk = this.chunk;
        let count = 0;
        let p = chunk.length - 1;
        while (count < 2 && p >= this.lineStart && chunk[p] === HASH) {
            count++;
            p--;
        }
        if (p < 0)
            count = Math.min(2, count + carried);
        return count;
    }
}
/** Whether a chunk starts with the rest of a "##[" that the previous chunk ended with `hashes` of. */
function completesLegacyPrefix(chunk, hashes) {
    return ((hashes === 2 && chunk[0] === BRACKET) ||
        (chunk.length > 1 && chunk[0] === HASH && chunk[1] === BRACKET));
}

;// CONCATENATED MODULE: ./src/action/guard-policies.ts


/** `all`: every byte passes as it is. */
class PassAll {
    lastByte = LF;
    get atLineStart() {
        return isLineBreak(this.lastByte);
    }
    write(chunk) {
        if (chunk.length > 0)
            this.lastByte = chunk[chunk.length - 1];
        return [chunk];
    }
    end() {
        return [];
    }
}
/** `none`: one stop of the runner's commands from the first byte to end(). */
class WrapAll {
    wrap;
    output = new GuardOutput();
    constructor(wrap) {
        this.wrap = wrap;
    }
    get atLineStart() {
        return this.output.atLineStart;
    }
    write(chunk) {
        if (chunk.length === 0)
            return [];
        if (!this.wrap.isOpen)
            this.output.emit(this.wrap.open());
        this.output.emit(chunk);
        return this.output.take();
    }
    end() {
        if (this.wrap.isOpen)
            this.output.emit(this.wrap.close(!this.output.atLineStart));
        return this.output.take();
    }
}

;// CONCATENATED MODULE: ./src/action/stop-commands.ts

/**
 * Most neutralisations one guard opens in `annotations` mode: each registers its token as a secret
 * on newer runners (docs/decisions/002-own-workflow-commands.md).
 */
const MAX_WRAPS = 100;
/** Command names the runner registers; a stop token must not be one of them. */
const RUNNER_COMMANDS = new Set([
    'add-mask',
    'add-matcher',
    'add-path',
    'debug',
    'echo',
    'endgroup',
    'error',
    'group',
    'internal-set-repo-path',
    'notice',
    'pause-logging',
    'remove-matcher',
    'save-state',
    'set-env',
    'set-output',
    'stop-commands',
    'warning'
]);
const TOKEN_PATTERN = /^[0-9A-Za-z_-]{16,256}$/;
/** 128 random bits as hex: a legal stop token that task output cannot guess. */
function randomToken() {
    return randomBytes(16).toString('hex');
}
/** The lines that stop and resume the runner's commands, a fresh token for each stop. */
class StopCommands {
    newToken;
    token = '';
    opened = 0;
    stopped = false;
    constructor(newToken) {
        this.newToken = newToken;
    }
    /** Whether commands are stopped (a stop line was returned and its resume line not yet). */
    get isOpen() {
        return this.stopped;
    }
    /** Whether a stop may follow the current one's resume without passing MAX_WRAPS. */
    get mayReopen() {
        return this.opened < MAX_WRAPS;
    }
    /** The `::stop-commands::<token>` line, with a fresh token. */
    open() {
        const token = this.newToken();
        if (!TOKEN_PATTERN.test(token) || RUNNER_COMMANDS.has(token.toLowerCase())) {
            throw new Error('CommandGuard: a stop token must be 16 or more letters, digits, _ or -, and no command name');
        }
        this.token = token;
        this.stopped = true;
        this.opened++;
        return Buffer.from(`::stop-commands::${token}\n`);
    }
    /** The `::<token>::` line that resumes commands, after a line break when `newLine`. */
    close(newLine = false) {
        this.stopped = false;
        return Buffer.from(`${newLine ? '\n' : ''}::${this.token}::\n`);
    }
}

;// CONCATENATED MODULE: ./src/action/workflow-commands.ts







/** Which workflow commands in task output the runner may act on. */
var WorkflowCommands;
(function (WorkflowCommands) {
    /**
     * ::error, ::warning, ::notice and ::debug lines keep working (linters' GitHub formats still
     * annotate); every other command is neutralised.
     */
    WorkflowCommands["Annotations"] = "annotations";
    /** Everything passes through, for trusted commands. */
    WorkflowCommands["All"] = "all";
    /** Everything is neutralised. */
    WorkflowCommands["None"] = "none";
})(WorkflowCommands || (WorkflowCommands = {}));
/**
 * Neutralises the workflow commands `mode` forbids in one stream of task output, every byte kept
 * (docs/decisions/002-own-workflow-commands.md, The guard for task output).
 */
class CommandGuard {
    policy;
    constructor(mode, newToken = randomToken) {
        if (!Object.values(WorkflowCommands).includes(mode)) {
            throw new Error(`CommandGuard: unknown mode ${String(mode)}`);
        }
        const wrap = new StopCommands(newToken);
        if (mode === WorkflowCommands.All)
            this.policy = new PassAll();
        else if (mode === WorkflowCommands.None)
            this.policy = new WrapAll(wrap);
        else
            this.policy = new AnnotationFilter(wrap);
    }
    /** True when everything returned so far ends at a line break (or nothing was returned). */
    get atLineStart() {
        return this.policy.atLineStart;
    }
    /** The bytes to print for `chunk`, mostly views of it: print them before reusing `chunk`. */
    write(chunk) {
        return this.policy.write(chunk);
    }
    /** Ends the stream: held bytes, then the line that resumes commands; may end mid-line. */
    end() {
        return this.policy.end();
    }
}
/** True when the runner would act on the first line of `line` as a command `mode` lets through. */
function passesAsCommand(line, mode) {
    if (mode === WorkflowCommands.None)
        return false;
    // The guard lets an annotation through only after certain white space.
    let i = leadingBlanks(line, mode === WorkflowCommands.All);
    if (line[i] !== COLON || line[i + 1] !== COLON)
        return false;
    if (mode === WorkflowCommands.All)
        return true;
    i += 2;
    const name = ANNOTATION_NAMES.find(candidate => candidate.every((letter, k) => (line[i + k] | 0x20) === letter));
    if (name === undefined)
        return false;
    i += name.length;
    if (line[i] === COLON)
        return line[i + 1] === COLON;
    if (line[i] !== SPACE)
        return false;
    return infoEnds(line, i + 1);
}
/** Whether "::" follows on the line from `from` ("::error file=a.ts,line=3::message"). */
function infoEnds(line, from) {
    for (let j = from; j < line.length - 1; j++) {
        const b = line[j];
        if (b === LF || b === CR)
            return false;
        if (b === COLON && line[j + 1] === COLON)
            return true;
    }
    return false;
}
const ZERO_WIDTH_SPACE = '\u200b';
/** Text of ours with untrusted content, with a zero-width space where a command could start. */
function neutraliseInline(text) {
    if (!text.includes('##[') && !text.includes('::'))
        return text;
    let result = '';
    let copied = 0;
    let atLineStart = true;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === LF || c === CR) {
            atLineStart = true;
            continue;
        }
        if (atLineStart) {
            if (c === COLON && text.charCodeAt(i + 1) === COLON) {
                result += text.slice(copied, i + 1) + ZERO_WIDTH_SPACE;
                copied = i + 1;
                atLineStart = false;
                continue;
            }
            // Anything that may be white space or ignorable for the runner keeps the line start.
            if (c <= SPACE || c >= 0x7f)
                continue;
            atLineStart = false;
        }
        if (c === HASH && text.charCodeAt(i + 1) === HASH && text.charCodeAt(i + 2) === BRACKET) {
            result += text.slice(copied, i + 1) + ZERO_WIDTH_SPACE;
            copied = i + 1;
        }
    }
    return result + text.slice(copied);
}

;// CONCATENATED MODULE: ./src/action/actions-core.ts
/**
 * The part of `@actions/core` this action uses, with the same names and the same output, byte for
 * byte: inputs from `INPUT_*`, outputs to the `GITHUB_OUTPUT` file, workflow commands on stdout,
 * the job summary appended to `GITHUB_STEP_SUMMARY`. `@actions/core` itself loads an HTTP client
 * (undici, 0.9 MB) for OIDC tokens at start-up, which tripled this action's start-up time for
 * nothing it uses (docs/decisions/002-own-workflow-commands.md).
 *
 * One difference: text the action prints is never a command the runner acts on, since it may
 * carry item or task text. `info` lines and the messages of `debug`, `warning` and `error` go
 * through neutraliseInline (a zero-width space breaks a line-leading `::` and every `##[`), so the
 * only commands printed here are the ones these functions mean to print. While tasks run, every
 * line goes through routeLog's writer, so none can land inside a task's output.
 */





/** An input's value: the runner passes `with:` values as `INPUT_<NAME>` variables. */
function getInput(name, options = {}) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options.required && !value)
        throw new Error(`Input required and not supplied: ${name}`);
    return options.trimWhitespace === false ? value : value.trim();
}
/**
 * Sets a step output through the GITHUB_OUTPUT file (the `::set-output` command without one).
 * Throws a one-line error naming GITHUB_OUTPUT when its file is missing or cannot be written.
 */
function setOutput(name, value) {
    const file = process.env.GITHUB_OUTPUT || '';
    if (file !== '') {
        const block = `${keyValueMessage(name, value)}${external_node_os_namespaceObject.EOL}`;
        if (!(0,external_node_fs_namespaceObject.existsSync)(file))
            throw runnerFileError('GITHUB_OUTPUT', file, 'no such file');
        try {
            (0,external_node_fs_namespaceObject.appendFileSync)(file, block, { encoding: 'utf8' });
        }
        catch (error) {
            throw runnerFileError('GITHUB_OUTPUT', file, String(error), error);
        }
        return;
    }
    write(external_node_os_namespaceObject.EOL);
    issueCommand('set-output', { name }, commandValue(value));
}
/** Prints to stdout, the step's log. */
function toStdout(text) {
    process.stdout.write(text);
}
let write = toStdout;
/**
 * Sends everything printed here to `writer` (whole lines, each ending with EOL) instead of
 * stdout, or to stdout again without one: while task output is printed, the task log decides
 * where a line of ours can go without splitting a line of a task.
 */
function routeLog(writer) {
    write = writer ?? toStdout;
}
/** Writes a line to the log; item or task text in it can start no workflow command. */
function info(message) {
    write(neutraliseInline(message) + external_node_os_namespaceObject.EOL);
}
/** A debug line, shown when step debug logging is on. */
function debug(message) {
    issueCommand('debug', {}, neutraliseInline(message));
}
/** Whether step debug logging is on. */
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
/** An error annotation. */
function error(message, properties = {}) {
    issueCommand('error', commandProperties(properties), neutraliseInline(String(message)));
}
/** A warning annotation. */
function warning(message, properties = {}) {
    issueCommand('warning', commandProperties(properties), neutraliseInline(String(message)));
}
/** Fails the step: exit code 1 once the action ends, and an error annotation. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/**
 * Fails the step with a message printed on stdout at once, whatever routeLog says: for when the
 * process is exiting and nothing routed would be printed any more.
 */
function failNow(message) {
    routeLog();
    setFailed(message);
}
/** Masks a value in the log from now on. */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/** The job summary: text collected, then appended to the GITHUB_STEP_SUMMARY file. */
class Summary {
    buffer = '';
    /** Adds text as it is (Markdown or HTML), with a line break after it when asked. */
    addRaw(text, addEOL = false) {
        this.buffer += text + (addEOL ? external_node_os_namespaceObject.EOL : '');
        return this;
    }
    /** Appends what was added to the summary file and empties the buffer. */
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file) {
            throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
        }
        try {
            await (0,promises_namespaceObject.access)(file, promises_namespaceObject.constants.R_OK | promises_namespaceObject.constants.W_OK);
            await (0,promises_namespaceObject.appendFile)(file, this.buffer, { encoding: 'utf8' });
        }
        catch (error) {
            const reason = error.code === 'ENOENT' ? 'no such file' : String(error);
            throw runnerFileError('GITHUB_STEP_SUMMARY', file, reason, error);
        }
        this.buffer = '';
        return this;
    }
}
const actions_core_summary = new Summary();
/**
 * One of the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) is missing or cannot be
 * written. @actions/core throws `Missing file at path: …`, which names neither the variable nor
 * what it is for.
 */
function runnerFileError(variable, file, reason, cause) {
    const purpose = variable === 'GITHUB_OUTPUT' ? "the step's outputs" : 'the job summary';
    return new Error(`Invalid ${variable} '${file}': ${reason}. Expected the file the runner creates for ${purpose}.`, { cause });
}
/** A workflow command's message, escaped so it stays on one line: `%`, CR and LF. */
function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** A workflow command's property value, escaped: as escapeData, plus `:` and `,`. */
function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function issueCommand(command, properties, message) {
    const props = Object.entries(properties)
        .filter(([, value]) => value)
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
    write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
function commandProperties(properties) {
    if (Object.keys(properties).length === 0)
        return {};
    return {
        title: properties.title === undefined ? undefined : neutraliseInline(properties.title),
        file: properties.file,
        line: properties.startLine,
        endLine: properties.endLine,
        col: properties.startColumn,
        endColumn: properties.endColumn
    };
}
function commandValue(value) {
    if (value === null || value === undefined)
        return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
}
/** `name<<delimiter` block of a file command, with a delimiter no value can contain. */
function keyValueMessage(name, value) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    const text = commandValue(value);
    if (name.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (text.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${name}<<${delimiter}${external_node_os_namespaceObject.EOL}${text}${external_node_os_namespaceObject.EOL}${delimiter}`;
}

;// CONCATENATED MODULE: ./src/action/exit-guard.ts
/**
 * Fails the step if `work` has not settled when Node exits. Node exits as soon as nothing keeps
 * its event loop alive, so a promise nobody can settle any more would otherwise end the step with
 * exit code 0 and no outputs. (A top-level `await` fails such a run by itself, with exit code 13,
 * but costs start-up time: see src/index.ts.) A rejection of `work` stays unhandled, so it still
 * ends the process with exit code 1 and the error.
 */
function failIfUnsettled(work, fail, events = process) {
    let settled = false;
    void work.finally(() => {
        settled = true;
    });
    events.once('exit', () => {
        if (!settled) {
            fail('parallel-exec ended before its run finished: nothing it was waiting for was left running. ' +
                'This is a bug; please report it with this log.');
        }
    });
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/action/action-yml.ts
/** Names of the action's inputs, as declared in action.yml. */
var Inputs;
(function (Inputs) {
    Inputs["Items"] = "items";
    Inputs["ItemsFrom"] = "items-from";
    Inputs["ItemsFile"] = "items-file";
    Inputs["Command"] = "command";
    Inputs["Tasks"] = "tasks";
    Inputs["Shell"] = "shell";
    Inputs["MaxWorkers"] = "max-workers";
    Inputs["FailFast"] = "fail-fast";
    Inputs["FailFastMode"] = "fail-fast-mode";
    Inputs["StopOnSuccess"] = "stop-on-success";
    Inputs["TotalTimeout"] = "total-timeout";
    Inputs["Timeout"] = "timeout";
    Inputs["Retries"] = "retries";
    Inputs["RetryDelay"] = "retry-delay";
    Inputs["Timings"] = "timings";
    Inputs["Shard"] = "shard";
    Inputs["MergeResults"] = "merge-results";
    Inputs["WorkingDirectory"] = "working-directory";
    Inputs["Log"] = "log";
    Inputs["WorkflowCommands"] = "workflow-commands";
    Inputs["IfNoItems"] = "if-no-items";
    Inputs["Summary"] = "summary";
    Inputs["DryRun"] = "dry-run";
    Inputs["GitHubToken"] = "github-token";
    Inputs["PullRequest"] = "pull-request";
    Inputs["IncludeOutdated"] = "include-outdated";
    Inputs["ThreadPaths"] = "thread-paths";
    Inputs["ThreadAuthors"] = "thread-authors";
    Inputs["ResolveThreads"] = "resolve-threads";
    Inputs["ResolveComment"] = "resolve-comment";
})(Inputs || (Inputs = {}));
/** Names of the action's outputs, as declared in action.yml. */
var Outputs;
(function (Outputs) {
    Outputs["Total"] = "total";
    Outputs["Succeeded"] = "succeeded";
    Outputs["Failed"] = "failed";
    Outputs["TimedOut"] = "timed-out";
    Outputs["Cancelled"] = "cancelled";
    Outputs["Skipped"] = "skipped";
    Outputs["Results"] = "results";
    Outputs["FailedItems"] = "failed-items";
    Outputs["ResultsFile"] = "results-file";
    Outputs["ResultsTruncated"] = "results-truncated";
    Outputs["JunitFile"] = "junit-file";
    Outputs["JobLog"] = "job-log";
    Outputs["TimingsFile"] = "timings-file";
    Outputs["Shard"] = "shard";
    Outputs["DurationMs"] = "duration-ms";
})(Outputs || (Outputs = {}));

;// CONCATENATED MODULE: ./src/log/log-mode.ts
/** How task output reaches the log. */
var LogMode;
(function (LogMode) {
    /** Each task's output printed whole, in one collapsible group, when the task ends. */
    LogMode["Grouped"] = "grouped";
    /** Lines as they come, each prefixed with the task's number and item. */
    LogMode["Stream"] = "stream";
    /** Only the output of tasks that did not succeed, grouped. */
    LogMode["Failures"] = "failures";
    /** No task output. */
    LogMode["None"] = "none";
})(LogMode || (LogMode = {}));

;// CONCATENATED MODULE: ./src/model/halt.ts
/** Why a run stopped early. */
var HaltKind;
(function (HaltKind) {
    /** Too many tasks did not succeed (fail-fast). */
    HaltKind["Failures"] = "failures";
    /** Enough tasks succeeded (stop-on-success). */
    HaltKind["Successes"] = "successes";
    /** The time budget for the whole run ran out. */
    HaltKind["Timeout"] = "timeout";
    /** The caller's signal was aborted (e.g. the runner sent SIGTERM). */
    HaltKind["Cancelled"] = "cancelled";
})(HaltKind || (HaltKind = {}));
/** The reason a halted run's signal carries. */
class Halt extends Error {
    kind;
    constructor(kind, message) {
        super(message);
        this.kind = kind;
        this.name = 'Halt';
    }
}
/** What a halt does to tasks already running. */
var HaltMode;
(function (HaltMode) {
    /** Stop them (whole process trees): GNU parallel's `--halt now`. */
    HaltMode["Cancel"] = "cancel";
    /** Let them finish, start nothing new: GNU parallel's `--halt soon`. */
    HaltMode["Drain"] = "drain";
})(HaltMode || (HaltMode = {}));

;// CONCATENATED MODULE: ./src/model/shell.ts
/** How a command is run. */
var Shell;
(function (Shell) {
    /** `bash --noprofile --norc -eo pipefail -c <command>`, as GitHub's `shell: bash`. */
    Shell["Bash"] = "bash";
    /** `sh -e -c <command>`, as GitHub's `shell: sh`. */
    Shell["Sh"] = "sh";
    /** PowerShell: `pwsh -NoProfile -NonInteractive`, as GitHub's `shell: pwsh`. */
    Shell["Pwsh"] = "pwsh";
    /** No shell: the template is split into words once and run directly. */
    Shell["None"] = "none";
})(Shell || (Shell = {}));

;// CONCATENATED MODULE: ./src/model/duration.ts
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;
/**
 * The longest duration any input may give: Node fires a timer set past 2^31-1 ms (about 24.8
 * days) after 1 ms instead, so a longer limit would end every task at once.
 */
const MAX_DURATION_MS = 24 * 86_400_000;
/**
 * Parses a duration such as `90` (seconds), `90s`, `500ms`, `5m`, `1.5h`, `1h30m` or `2d` into
 * milliseconds. Returns undefined when the text is not a positive duration.
 */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+(\.\d+)?$/.test(value))
        return positive(Number(value) * 1000);
    let total = 0;
    PART.lastIndex = 0;
    while (PART.lastIndex < value.length) {
        const match = PART.exec(value);
        if (!match)
            return undefined;
        total += Number(match[1]) * UNIT_MS[match[2]];
    }
    return value.length > 0 ? positive(total) : undefined;
}
/**
 * Parses a duration input up to `maxMs`; else throws `{subject} '{value}'. Expected a duration up
 * to {max}, such as {examples}.`, the subject naming the input (`Invalid timeout`).
 */
function parseDurationInput(value, subject, examples, maxMs = MAX_DURATION_MS) {
    const ms = parseDuration(value);
    if (ms !== undefined && ms <= maxMs)
        return ms;
    throw new Error(`${subject} '${value}'. Expected a duration up to ${formatLimit(maxMs)}, such as ${examples}.`);
}
/** A limit in its largest whole unit: `24d`, `10m`. */
function formatLimit(ms) {
    const [unit, size] = Object.entries(UNIT_MS)
        .sort(([, a], [, b]) => b - a)
        .find(([, size]) => ms % size === 0);
    return `${ms / size}${unit}`;
}
function positive(ms) {
    // Rounded first: '0.4ms' would otherwise become a limit of 0, which means none.
    const rounded = Math.round(ms);
    return Number.isFinite(rounded) && rounded > 0 ? rounded : undefined;
}
/** Formats milliseconds for people: `850ms`, `12.3s`, `4m 05s`, `1h 02m`. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const totalSeconds = Math.round(ms / 1000);
    const hours = Math.floor(totalSeconds / 3600);
    const minutes = Math.floor((totalSeconds % 3600) / 60);
    const seconds = totalSeconds % 60;
    const pad = (n) => String(n).padStart(2, '0');
    return hours > 0 ? `${hours}h ${pad(minutes)}m` : `${minutes}m ${pad(seconds)}s`;
}
/**
 * Formats a wait in whole units, rounded up, for messages about pauses and limits: `150 ms`, `2 s`,
 * `3 min`. Use formatDuration for how long something took.
 */
function formatWait(ms) {
    if (ms < 1000)
        return `${ms} ms`;
    return ms >= 120_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}
/**
 * Milliseconds on a monotonic clock, for measuring a duration. Not `performance.now()`: the
 * `performance` global loads eight of Node's modules on first use (about 1 ms of start-up).
 */
function monotonicMs() {
    return Number(process.hrtime.bigint()) / 1e6;
}

;// CONCATENATED MODULE: ./src/model/task-status.ts
/** How a task ended. */
var TaskStatus;
(function (TaskStatus) {
    /** The command exited with code 0. */
    TaskStatus["Success"] = "success";
    /** The command exited non-zero, was killed by a signal from elsewhere, or could not start. */
    TaskStatus["Failure"] = "failure";
    /** The command ran past its time limit and was stopped. */
    TaskStatus["TimedOut"] = "timed-out";
    /** The command was stopped because the run was halted (fail-fast or cancellation). */
    TaskStatus["Cancelled"] = "cancelled";
    /** The command never started because the run was halted first. */
    TaskStatus["Skipped"] = "skipped";
})(TaskStatus || (TaskStatus = {}));
/** The mark that shows each status at a glance, in the log and in the job summary. */
const STATUS_MARK = {
    [TaskStatus.Success]: '✅',
    [TaskStatus.Failure]: '❌',
    [TaskStatus.TimedOut]: '⏱️',
    [TaskStatus.Cancelled]: '⛔',
    [TaskStatus.Skipped]: '⏭️'
};
/** A status as the job summary labels it: its mark and its name. */
function statusLabel(status) {
    return `${STATUS_MARK[status]} ${status}`;
}

;// CONCATENATED MODULE: ./src/exec/run-status.ts


/**
 * How a finished process maps to a task status. A process stopped because the run halted is
 * `cancelled`, or `timed-out` when the halt was the run's time budget running out.
 */
function statusOf(result, halt) {
    if (result.timedOut)
        return TaskStatus.TimedOut;
    if (result.aborted) {
        const reason = halt?.reason;
        return reason instanceof Halt && reason.kind === HaltKind.Timeout
            ? TaskStatus.TimedOut
            : TaskStatus.Cancelled;
    }
    return result.exitCode === 0 ? TaskStatus.Success : TaskStatus.Failure;
}

;// CONCATENATED MODULE: ./src/exec/retry-policy.ts



/** Longest wait between two attempts, however many retries. */
const MAX_RETRY_DELAY_MS = 10 * 60_000;
/** Runs `attempt` until it succeeds, is halted, or the retries run out. */
async function withRetries(attempt, options) {
    for (let attempts = 1;; attempts++) {
        const result = await attempt();
        const status = statusOf(result, options.signal);
        if (!isRetryable(status) || attempts > options.retries)
            return { result, status, attempts };
        const delayMs = retryDelayMs(options.baseDelayMs, attempts, options.random);
        options.announce(retryLine(attempts, options.retries, status, result, delayMs));
        if (await sleepUnlessAborted(delayMs, options.signal)) {
            const halted = statusOf({ ...result, aborted: true, timedOut: false }, options.signal);
            return { result, status: halted, attempts };
        }
    }
}
/** Failures and timeouts are retried; a halted run is not. */
function isRetryable(status) {
    return status === TaskStatus.Failure || status === TaskStatus.TimedOut;
}
/**
 * The wait before retry number `attempt` (1 for the first retry): the base doubled for each
 * earlier retry, capped, and scaled by a random factor in [0.5, 1) so that tasks that failed
 * together do not all come back at the same moment.
 */
function retryDelayMs(baseMs, attempt, random = Math.random) {
    const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** (attempt - 1));
    return Math.round(exponential * (0.5 + random() / 2));
}
/** The line between two attempts, in the task's output. */
function retryLine(attempt, retries, status, result, delayMs) {
    return (`\n── attempt ${attempt} of ${retries + 1} ended ${status}${exitDetail(result)}; ` +
        `retrying in ${formatDuration(delayMs)} ──\n`);
}
function exitDetail(result) {
    if (result.signal !== null)
        return ` (${result.signal})`;
    return result.exitCode === null ? '' : ` (exit code ${result.exitCode})`;
}
/** Waits, unless the signal aborts first; true when it did. */
function sleepUnlessAborted(ms, signal) {
    if (signal.aborted)
        return Promise.resolve(true);
    return new Promise(resolve => {
        const onAbort = () => {
            clearTimeout(timer);
            resolve(true);
        };
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve(false);
        }, ms);
        signal.addEventListener('abort', onAbort, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/model/shard.ts
/** A matrix runs at most 256 jobs, so a run has at most this many shards. */
const MAX_SHARDS = 256;

;// CONCATENATED MODULE: ./src/inputs/input-values.ts







/** Parses `max-workers`: a whole number from 1 up, `auto` (the CPUs available) or `N%` of them. */
function parseMaxWorkers(value, cpus = (0,external_node_os_namespaceObject.availableParallelism)()) {
    const text = value.trim();
    if (text === 'auto')
        return Math.max(1, cpus);
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (percent && Number(percent[1]) > 0) {
        return Math.max(1, Math.floor((cpus * Number(percent[1])) / 100));
    }
    if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
        return Number(text);
    }
    throw new Error(`Invalid ${Inputs.MaxWorkers} '${value}'. Expected a whole number from 1 up, 'auto', ` +
        `or a percentage of the CPUs such as '50%'.`);
}
/** Parses `pull-request`: empty for the event's pull request, else its number. */
function parsePullRequest(value) {
    const text = value.trim().replace(/^#/, '');
    if (text === '')
        return undefined;
    if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
        return Number(text);
    }
    throw new Error(`Invalid ${Inputs.PullRequest} '${value}'. Expected a pull request number such as 42, or ` +
        "empty for the event's pull request.");
}
/** A list input: one entry per line or separated by commas, blanks dropped. */
function listInput(value) {
    return value
        .split(/[\n,]/)
        .map(entry => entry.trim())
        .filter(entry => entry !== '');
}
/**
 * Parses `shard`: empty for none, else `{index}/{total}` with a 0-based index, as the matrix's
 * `strategy.job-index` and `strategy.job-total` give them.
 */
function parseShard(value) {
    const text = value.trim();
    if (text === '')
        return undefined;
    const match = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
    const index = Number(match?.[1]);
    const total = Number(match?.[2]);
    if (match && total >= 1 && total <= MAX_SHARDS && index < total)
        return { index, total };
    throw new Error(`Invalid ${Inputs.Shard} '${value}'. Expected {index}/{total} with a 0-based index below the ` +
        `total (at most ${MAX_SHARDS}, as a matrix has at most ${MAX_SHARDS} jobs), such as ` +
        '${{ strategy.job-index }}/${{ strategy.job-total }}, or empty for no sharding.');
}
/**
 * Parses `timeout` (or `total-timeout`): empty for none, else a duration such as `90s` or `5m`,
 * up to MAX_DURATION_MS.
 */
function parseTimeout(value, input = Inputs.Timeout) {
    if (value.trim() === '')
        return undefined;
    return parseDurationInput(value, `Invalid ${input}`, "'90' (seconds), '90s', '5m' or '1h30m', or empty for no limit");
}
/**
 * Parses `fail-fast`: `false` (never), `true` (the first task that does not succeed), a whole
 * number N (once N tasks have not succeeded) or N% (once N percent of all tasks have not).
 */
function parseFailFast(value) {
    const text = value.trim();
    if (['false', 'False', 'FALSE'].includes(text))
        return undefined;
    if (['true', 'True', 'TRUE'].includes(text))
        return { count: 1 };
    if (/^\d+$/.test(text) && Number(text) >= 1 && Number.isSafeInteger(Number(text))) {
        return { count: Number(text) };
    }
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
    if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100)
        return { percent: Number(percent[1]) };
    throw new Error(`Invalid ${Inputs.FailFast} '${value}'. Expected 'true', 'false', a whole number of tasks from 1 up, ` +
        `or a percentage of all tasks such as '10%'.`);
}
/** Parses `stop-on-success`: 0 (never) or a whole number of tasks. */
function parseStopOnSuccess(value) {
    const text = value.trim();
    if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text)))
        return Number(text);
    throw new Error(`Invalid ${Inputs.StopOnSuccess} '${value}'. Expected a whole number of tasks, or 0 for never.`);
}
/** Parses `retries`: a whole number from 0 up. */
function parseRetries(value) {
    const text = value.trim();
    if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text)))
        return Number(text);
    throw new Error(`Invalid ${Inputs.Retries} '${value}'. Expected a whole number from 0 up.`);
}
/** Parses `retry-delay`: `0` or a duration such as `1s`, `500ms` or `1m`, up to the retry cap. */
function parseRetryDelay(value) {
    if (/^\s*0+(\.0*)?(ms|s|m|h|d)?\s*$/.test(value))
        return 0;
    // A longer first delay would be cut to the cap without a word.
    return parseDurationInput(value, `Invalid ${Inputs.RetryDelay}`, "'1s', '500ms' or '1m', or 0", MAX_RETRY_DELAY_MS);
}
/** Parses a boolean input as the YAML 1.2 core schema spells it (as core.getBooleanInput). */
function parseBoolean(input, value) {
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new Error(`Invalid ${input} '${value}'. Expected 'true' or 'false'.`);
}
/** Parses an enum-valued input, naming the allowed values when it is not one of them. */
function parseEnum(input, value, values) {
    const allowed = Object.values(values);
    const text = value.trim();
    if (allowed.includes(text))
        return text;
    throw new Error(`Invalid ${input} '${value}'. Expected one of: ${allowed.join(', ')}.`);
}
/** Parses `working-directory`: an existing directory, or empty for the current one. */
async function parseWorkingDirectory(value) {
    const directory = (0,external_node_path_namespaceObject.resolve)(value);
    if (value === '')
        return directory;
    const stats = await (0,promises_namespaceObject.stat)(directory).catch(() => undefined);
    if (!stats?.isDirectory()) {
        throw new Error(`Invalid ${Inputs.WorkingDirectory} '${value}': ${stats ? 'not a directory' : 'no such directory'}. ` +
            'Expected an existing directory.');
    }
    return directory;
}

;// CONCATENATED MODULE: ./src/inputs/json-position.ts
/**
 * The deepest nesting of arrays and objects items may have. Deeper JSON is refused: walking it
 * (this scanner, JSON.stringify for `{}` and the results) would exhaust the stack.
 */
const MAX_JSON_DEPTH = 1000;
/** Scans `text` as strict JSON once: its first error (or too deep a nesting) and inexact number. */
function analyzeJson(text) {
    const analysis = {};
    const outcome = scanJson(text, (start, end) => {
        if (analysis.inexact)
            return;
        const literal = text.slice(start, end);
        const value = Number(literal);
        const integer = /^-?\d+$/.test(literal);
        if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
            analysis.inexact = { offset: start, literal };
        }
    });
    if (outcome.offset !== -1)
        analysis.error = outcome;
    return analysis;
}
/** Scans strict JSON, reporting each number's span; returns the offset of the first error or -1. */
function scanJson(text, onNumber) {
    const scanner = new JsonScanner(text, onNumber);
    try {
        scanner.value();
        scanner.space();
        return { offset: scanner.pos < text.length ? scanner.pos : -1, tooDeep: false };
    }
    catch (error) {
        if (!(error instanceof JsonScanError))
            throw error;
        return { offset: error.offset, tooDeep: error.tooDeep };
    }
}
/** Where a scan stopped. */
class JsonScanError {
    offset;
    tooDeep;
    constructor(offset, tooDeep) {
        this.offset = offset;
        this.tooDeep = tooDeep;
    }
}
/** A recursive-descent reader of strict JSON that keeps only positions. */
class JsonScanner {
    text;
    onNumber;
    pos = 0;
    depth = 0;
    constructor(text, onNumber) {
        this.text = text;
        this.onNumber = onNumber;
    }
    /** One JSON value, after any white space. */
    value() {
        this.space();
        const ch = this.text[this.pos];
        if (ch === '{')
            return this.container('}', () => this.member());
        if (ch === '[')
            return this.container(']', () => this.value());
        if (ch === '"')
            return this.string();
        if (ch === 't')
            return this.literal('true');
        if (ch === 'f')
            return this.literal('false');
        if (ch === 'n')
            return this.literal('null');
        return this.number();
    }
    /** JSON's white space. */
    space() {
        while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) {
            this.pos++;
        }
    }
    /** An object or array: entries separated by commas up to its closing bracket. */
    container(close, entry) {
        this.enter();
        this.pos++;
        this.space();
        if (this.text[this.pos] === close)
            return this.leave();
        for (;;) {
            entry();
            this.space();
            if (this.text[this.pos] === ',')
                this.pos++;
            else if (this.text[this.pos] === close)
                return this.leave();
            else
                this.fail();
        }
    }
    /** One `"key": value` of an object. */
    member() {
        this.space();
        if (this.text[this.pos] !== '"')
            this.fail();
        this.string();
        this.space();
        this.literal(':');
        this.value();
    }
    /** A string with its escapes; control characters are not allowed raw. */
    string() {
        this.pos++;
        for (;;) {
            const ch = this.text[this.pos];
            if (ch === undefined || ch < ' ')
                this.fail();
            if (ch === '"')
                return void this.pos++;
            if (ch === '\\') {
                this.pos++;
                const escape = this.text[this.pos];
                if (escape === 'u') {
                    this.unicodeEscape();
                    continue;
                }
                if (escape === undefined || !'"\\/bfnrt'.includes(escape))
                    this.fail();
            }
            this.pos++;
        }
    }
    /** The four hex digits after `\u`, failing at the first that is not one. */
    unicodeEscape() {
        for (let i = 1; i <= 4; i++) {
            if (!/[0-9a-fA-F]/.test(this.text[this.pos + i] ?? '')) {
                this.pos += i;
                this.fail();
            }
        }
        this.pos += 5;
    }
    /** A number, reported to onNumber. */
    number() {
        const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
        match.lastIndex = this.pos;
        if (!match.exec(this.text))
            this.fail();
        this.onNumber(this.pos, match.lastIndex);
        this.pos = match.lastIndex;
    }
    /** Exactly `word`. */
    literal(word) {
        for (const ch of word) {
            if (this.text[this.pos] !== ch)
                this.fail();
            this.pos++;
        }
    }
    /** One level deeper, checked first so the scan's own recursion stays within the limit. */
    enter() {
        if (++this.depth > MAX_JSON_DEPTH)
            throw new JsonScanError(this.pos, true);
    }
    /** Past a closing bracket, one level up. */
    leave() {
        this.pos++;
        this.depth--;
    }
    /** Stops the scan at the current position. */
    fail() {
        throw new JsonScanError(this.pos, false);
    }
}
/** Line and column (both 1-based) of an offset in a text. */
function lineAndColumn(text, offset) {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - before.lastIndexOf('\n') };
}

;// CONCATENATED MODULE: ./src/inputs/items.ts


/** The format the items are in, detected from the text (and a file's extension). */
var ItemsFormat;
(function (ItemsFormat) {
    /** One item per line; lines are trimmed and blank lines skipped. */
    ItemsFormat["Lines"] = "lines";
    /** A JSON array whose elements are the items. */
    ItemsFormat["JsonArray"] = "json-array";
    /** One JSON value per line (JSON Lines / NDJSON). */
    ItemsFormat["JsonLines"] = "json-lines";
})(ItemsFormat || (ItemsFormat = {}));
/**
 * Detects the format: a `.json` file is a JSON array, a `.jsonl`/`.ndjson` file is JSON Lines;
 * otherwise text starting with `[` is a JSON array, text starting with `{` is JSON Lines, and
 * anything else is one item per line.
 */
function detectFormat(text, path) {
    const extension = path?.toLowerCase().match(/\.[a-z]+$/)?.[0];
    if (extension === '.json')
        return ItemsFormat.JsonArray;
    if (extension === '.jsonl' || extension === '.ndjson')
        return ItemsFormat.JsonLines;
    const first = text.trimStart()[0];
    if (first === '[')
        return ItemsFormat.JsonArray;
    if (first === '{')
        return ItemsFormat.JsonLines;
    return ItemsFormat.Lines;
}
/** Parses items from text in the detected format; throws an Error naming the input and the position. */
function parseItems(text, source) {
    const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    switch (detectFormat(content, source.path)) {
        case ItemsFormat.JsonArray:
            return parseJsonArray(content, source);
        case ItemsFormat.JsonLines:
            return parseJsonLines(content, source);
        case ItemsFormat.Lines:
            return content
                .split('\n')
                .map(line => line.trim())
                .filter(line => line.length > 0);
    }
}
/** Reads and parses an items file. */
async function readItemsFile(path, input) {
    let bytes;
    try {
        bytes = await (0,promises_namespaceObject.readFile)(path);
    }
    catch (error) {
        const reason = error.code === 'ENOENT' ? 'no such file' : String(error);
        throw new Error(`Invalid ${input} '${path}': ${reason}. Expected the path of a file of items.`, {
            cause: error
        });
    }
    return parseItems(decodeUtf8(bytes, `${input} '${path}'`), { input, path });
}
/**
 * Decodes UTF-8 strictly: an item with a byte that is not UTF-8 (a Latin-1 file name, say) would
 * otherwise reach the command with U+FFFD in its place, naming a file that does not exist.
 */
function decodeUtf8(bytes, source) {
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    }
    catch {
        let line = 1;
        let start = 0;
        for (let newline = bytes.indexOf(10);; newline = bytes.indexOf(10, start)) {
            const end = newline === -1 ? bytes.length : newline;
            try {
                new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
            }
            catch {
                break;
            }
            if (newline === -1)
                break;
            line++;
            start = newline + 1;
        }
        throw new Error(`Invalid ${source}: line ${line} is not valid UTF-8. Expected UTF-8 text ` +
            '(names that are not UTF-8 cannot be passed to a command exactly).');
    }
}
function describe(source) {
    return source.path === undefined ? `input '${source.input}'` : `${source.input} '${source.path}'`;
}
/**
 * Checks one JSON text (the array, or one line of JSON Lines) before JSON.parse: a syntax error,
 * nesting deeper than MAX_JSON_DEPTH, or a number that would not reach the command as written
 * (see JsonAnalysis.inexact) is an error naming the input and the position.
 */
function checkJson(text, source, expected, lineIndex) {
    const { error, inexact } = analyzeJson(text);
    const at = (offset) => {
        const position = lineAndColumn(text, offset);
        const line = lineIndex === undefined ? position.line : lineIndex + 1;
        return `at line ${line}, column ${position.column}`;
    };
    const kind = lineIndex === undefined ? 'JSON' : 'JSON Lines';
    if (error?.tooDeep) {
        throw new Error(`Invalid ${kind} in ${describe(source)} ${at(error.offset)}: arrays and objects nest ` +
            `deeper than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels. Expected JSON nested at most ` +
            `${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep.`);
    }
    if (error)
        throw new Error(`Invalid ${kind} in ${describe(source)} ${at(error.offset)}. ${expected}`);
    if (inexact) {
        throw new Error(`Invalid JSON in ${describe(source)} ${at(inexact.offset)}: the number ` +
            `${inexact.literal} cannot be kept exactly. Expected it as a string: "${inexact.literal}".`);
    }
}
function parseJsonArray(text, source) {
    checkJson(text, source, 'Expected a JSON array of items, or one item per line.');
    const parsed = JSON.parse(text);
    if (!Array.isArray(parsed)) {
        throw new Error(`Invalid ${describe(source)}: the JSON is not an array. Expected a JSON array of items.`);
    }
    return parsed;
}
function parseJsonLines(text, source) {
    const items = [];
    const lines = text.split('\n');
    for (let index = 0; index < lines.length; index++) {
        const line = lines[index];
        if (line.trim().length === 0)
            continue;
        checkJson(line, source, 'Expected one JSON value per line.', index);
        items.push(JSON.parse(line));
    }
    return items;
}

;// CONCATENATED MODULE: ./src/inputs/settings.ts
/** What to do when there are no items. */
var NoItemsBehavior;
(function (NoItemsBehavior) {
    /** Output a warning but do not fail the action. */
    NoItemsBehavior["Warn"] = "warn";
    /** Fail the action with an error message. */
    NoItemsBehavior["Error"] = "error";
    /** Do not output any warnings or errors, the action does not fail. */
    NoItemsBehavior["Ignore"] = "ignore";
})(NoItemsBehavior || (NoItemsBehavior = {}));
/** Where the items come from. */
var ItemsFrom;
(function (ItemsFrom) {
    /** The `items` or `items-file` input. */
    ItemsFrom["Input"] = "input";
    /** The unresolved review threads of a pull request, one object item per thread. */
    ItemsFrom["ReviewThreads"] = "review-threads";
})(ItemsFrom || (ItemsFrom = {}));
/** Which review threads to resolve once the run is over. */
var ResolveThreads;
(function (ResolveThreads) {
    /** Resolve none. */
    ResolveThreads["None"] = "none";
    /** Resolve each thread whose task succeeded (after the reply in `resolve-comment`, if any). */
    ResolveThreads["OnSuccess"] = "on-success";
})(ResolveThreads || (ResolveThreads = {}));

;// CONCATENATED MODULE: ./src/inputs/review-thread-inputs.ts




/**
 * Reads the review-thread inputs: undefined unless `items-from` is `review-threads`, in which case
 * the items come from GitHub, so `items`, `items-file` and `tasks` must be empty and a command set.
 */
function readReviewThreadInputs(given) {
    const source = parseEnum(Inputs.ItemsFrom, getInput(Inputs.ItemsFrom) || ItemsFrom.Input, ItemsFrom);
    if (source !== ItemsFrom.ReviewThreads) {
        const stray = threadInputsGiven()[0];
        if (stray === undefined)
            return undefined;
        throw new Error(`Invalid inputs: '${stray}' is set but '${Inputs.ItemsFrom}' is '${source}'. ` +
            `Expected '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' with the review-thread inputs.`);
    }
    checkThreadsAlone(given);
    const resolve = parseEnum(Inputs.ResolveThreads, getInput(Inputs.ResolveThreads) || ResolveThreads.None, ResolveThreads);
    const comment = getInput(Inputs.ResolveComment);
    if (comment !== '' && resolve === ResolveThreads.None) {
        throw new Error(`Invalid inputs: '${Inputs.ResolveComment}' is set but '${Inputs.ResolveThreads}' is ` +
            `'${ResolveThreads.None}'. Expected '${Inputs.ResolveThreads}: ${ResolveThreads.OnSuccess}' ` +
            'for the reply to be posted.');
    }
    const token = getInput(Inputs.GitHubToken);
    // The runner masks secrets it passed in, but a token typed as a plain value would show.
    if (token !== '')
        setSecret(token);
    return {
        token,
        pullRequest: parsePullRequest(getInput(Inputs.PullRequest)),
        includeOutdated: parseBoolean(Inputs.IncludeOutdated, getInput(Inputs.IncludeOutdated) || 'false'),
        paths: listInput(getInput(Inputs.ThreadPaths)),
        authors: listInput(getInput(Inputs.ThreadAuthors)).map(login => login.replace(/^@/, '')),
        resolve,
        comment: comment === '' ? undefined : comment
    };
}
/** The review-thread inputs set to something other than their default. */
function threadInputsGiven() {
    const given = [
        Inputs.PullRequest,
        Inputs.ThreadPaths,
        Inputs.ThreadAuthors,
        Inputs.ResolveComment
    ].filter(input => getInput(input) !== '');
    if (!['', 'false'].includes(getInput(Inputs.IncludeOutdated))) {
        given.push(Inputs.IncludeOutdated);
    }
    if (!['', ResolveThreads.None].includes(getInput(Inputs.ResolveThreads))) {
        given.push(Inputs.ResolveThreads);
    }
    return given;
}
/** Review threads are the items: no other source of items, and a command to run for each. */
function checkThreadsAlone(given) {
    const named = [
        given.items.trim() !== '' ? Inputs.Items : '',
        given.itemsFile !== '' ? Inputs.ItemsFile : '',
        given.tasks.trim() !== '' ? Inputs.Tasks : ''
    ].filter(Boolean);
    if (named.length > 0) {
        throw new Error(`Invalid inputs: '${named[0]}' is set together with '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}'. ` +
            `Expected the review threads alone as items.`);
    }
    if (given.command.trim() === '') {
        throw new Error(`Invalid inputs: '${Inputs.ItemsFrom}: ${ItemsFrom.ReviewThreads}' needs a '${Inputs.Command}'. ` +
            'Expected a command template run once per thread, such as ./fix.sh {path} {line} {body}.');
    }
}

;// CONCATENATED MODULE: ./src/model/item.ts
/** The item as one string: strings as they are, anything else as its JSON. */
function itemText(item) {
    return typeof item === 'string' ? item : JSON.stringify(item);
}

;// CONCATENATED MODULE: ./src/model/labels.ts

/**
 * One line naming an item for logs and titles: control characters (newlines, escapes) shown as
 * visible symbols so an item can never start a new log line, and cut to `max` characters.
 */
function itemLabel(item, max = 80) {
    // eslint-disable-next-line no-control-regex
    const line = itemText(item).replace(/[\u0000-\u001f\u007f]/g, ch => ch === '\n' ? '⏎' : ch === '\t' ? '⇥' : '�');
    return cut(line, max);
}
/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
function cut(text, max) {
    if (text.length <= max)
        return text;
    let end = Math.max(0, max - 1);
    // Never split a surrogate pair: half of one is not a character.
    if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]))
        end--;
    return text.slice(0, end) + '…';
}

;// CONCATENATED MODULE: ./src/model/unsendable.ts
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * What in a string no command can be given exactly, or undefined: a NUL character (no argument
 * or environment variable can carry one), or a lone surrogate, which JSON's `"\ud800"` escape
 * makes but which has no UTF-8 form, so that it would reach the command as U+FFFD.
 */
function unsendableCharacter(text) {
    if (text.includes('\0'))
        return 'a NUL character';
    const lone = LONE_SURROGATE.exec(text)?.[0];
    if (lone === undefined)
        return undefined;
    const code = lone.charCodeAt(0).toString(16).toUpperCase();
    return `a lone surrogate (\\u${code}, half of a UTF-16 pair, with no UTF-8 form)`;
}

;// CONCATENATED MODULE: ./src/inputs/tasks.ts



const FIELDS = ['run', 'needs', 'timeout', 'retries', 'working-directory', 'env', 'priority'];
/**
 * Parses the `tasks` input: a YAML mapping of task names to a command, or to an object with
 * `run` and optionally `needs`, `timeout`, `retries`, `working-directory`, `env` and `priority`.
 * Every problem (YAML syntax, a duplicate name, an unknown field or need, a cycle) is an error
 * naming the task, before anything runs.
 */
async function parseTasks(text, input = 'tasks') {
    // The YAML parser is a third of a megabyte: loaded only when there are tasks to parse.
    const yaml = await __nccwpck_require__.e(/* import() */ 815).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
    const document = yaml.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    const problem = document.errors[0];
    if (problem !== undefined) {
        const message = problem.message.split('\n')[0]?.replace(/:$/, '');
        throw new Error(`Invalid ${input}: ${message}. Expected a YAML mapping of task names to commands.`);
    }
    if (!yaml.isMap(document.contents)) {
        throw new Error(`Invalid ${input}: expected a YAML mapping of task names to commands, such as 'lint: npm run lint'.`);
    }
    const spellings = new Map();
    const tasks = document.contents.items.map(pair => {
        const toJS = (node) => (yaml.isNode(node) ? node.toJS(document) : node);
        const spelling = yaml.isNode(pair.key) && pair.key.range ? text.slice(...pair.key.range.slice(0, 2)) : '';
        const name = taskName(input, toJS(pair.key), spelling);
        // YAML tells 1 from "1" and true from "true"; their names do not.
        const earlier = spellings.get(name);
        if (earlier !== undefined) {
            throw new Error(`Invalid ${input}: the keys '${cut(earlier, 40)}' and '${cut(spelling, 40)}' both name task '${name}'. ` +
                'Expected each task name once.');
        }
        spellings.set(name, spelling);
        return parseTask(input, name, toJS(pair.value));
    });
    const names = new Set(tasks.map(task => task.name));
    for (const task of tasks) {
        for (const need of task.needs) {
            if (!names.has(need)) {
                throw new Error(`Invalid ${input}: task '${task.name}' needs '${need}', which is not a task. ` +
                    `Expected one of: ${[...names].join(', ')}.`);
            }
            if (need === task.name)
                throw new Error(`Invalid ${input}: task '${task.name}' needs itself.`);
        }
    }
    const cycle = findCycle(tasks);
    if (cycle !== undefined) {
        throw new Error(`Invalid ${input}: the needs form a cycle: ${cycle.join(' → ')}.`);
    }
    return tasks;
}
/** A task's name from its YAML key: text, a number or a boolean as written in JSON. */
function taskName(input, key, spelling) {
    if (key === null && spelling.trim() !== '') {
        throw new Error(`Invalid ${input}: the key '${spelling}' is YAML's null, not a name. ` +
            `Expected a task name: quote it ("${spelling}") to use it as one.`);
    }
    if (key === null || key === undefined || (typeof key === 'string' && key.trim() === '')) {
        throw new Error(`Invalid ${input}: a task has an empty name.`);
    }
    if (typeof key === 'object') {
        throw new Error(`Invalid ${input}: the key '${cut(spelling, 40)}' is a collection. Expected a task name.`);
    }
    return String(key);
}
function parseTask(input, name, spec) {
    const where = `Invalid ${input}: task '${name}'`;
    checkSendable(where, 'its name', name);
    if (typeof spec === 'string') {
        checkSendable(where, 'its run', spec);
        return { name, run: spec, needs: [] };
    }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
        throw new Error(`${where} is neither a command nor a mapping with 'run'.`);
    }
    const fields = spec;
    const unknown = Object.keys(fields).filter(field => !FIELDS.includes(field));
    if (unknown.length > 0) {
        throw new Error(`${where} has an unknown field '${unknown[0]}'. Expected: ${FIELDS.join(', ')}.`);
    }
    if (typeof fields.run !== 'string' || fields.run.trim() === '') {
        throw new Error(`${where} has no 'run'. Expected the command to run, as a string.`);
    }
    checkSendable(where, 'its run', fields.run);
    const task = { name, run: fields.run, needs: parseNeeds(where, fields.needs) };
    if (fields.timeout !== undefined) {
        task.timeoutMs = parseDurationInput(String(fields.timeout), `${where} has timeout`, "'90s', '5m' or '1h30m'");
    }
    if (fields.retries !== undefined) {
        if (!Number.isSafeInteger(fields.retries) || fields.retries < 0) {
            throw new Error(`${where} has retries '${String(fields.retries)}'. Expected a whole number from 0 up.`);
        }
        task.retries = fields.retries;
    }
    if (fields['working-directory'] !== undefined) {
        if (typeof fields['working-directory'] !== 'string' || fields['working-directory'] === '') {
            throw new Error(`${where} has an empty or non-string working-directory.`);
        }
        checkSendable(where, 'its working-directory', fields['working-directory']);
        task.workingDirectory = fields['working-directory'];
    }
    if (fields.env !== undefined)
        task.env = parseEnv(where, fields.env);
    if (fields.priority !== undefined) {
        if (typeof fields.priority !== 'number' || !Number.isFinite(fields.priority)) {
            throw new Error(`${where} has priority '${String(fields.priority)}'. Expected a number.`);
        }
        task.priority = fields.priority;
    }
    return task;
}
/** Refuses text no command could be given as written (a NUL character, a lone surrogate). */
function checkSendable(where, what, text) {
    const unsendable = unsendableCharacter(text);
    if (unsendable !== undefined) {
        throw new Error(`${where}: ${what} contains ${unsendable}, which no command can be given. ` +
            'Expected text without one.');
    }
}
function parseNeeds(where, needs) {
    if (needs === undefined || needs === null)
        return [];
    const list = Array.isArray(needs) ? needs : [needs];
    if (!list.every(need => typeof need === 'string')) {
        throw new Error(`${where} has needs that are not task names. Expected a name or a list of names.`);
    }
    return [...new Set(list)];
}
function parseEnv(where, env) {
    if (env === null || typeof env !== 'object' || Array.isArray(env)) {
        throw new Error(`${where} has env that is not a mapping. Expected NAME: value pairs.`);
    }
    const result = {};
    for (const [name, value] of Object.entries(env)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
            throw new Error(`${where} has env variable '${name}'. Expected a name of letters, digits and _.`);
        }
        if (value !== null && typeof value === 'object') {
            throw new Error(`${where} has env ${name} that is not a string, number or boolean.`);
        }
        result[name] = String(value ?? '');
        checkSendable(where, `its env ${name}`, result[name]);
    }
    return result;
}
/** A cycle among the tasks' needs, as the names along it ending where it began, or undefined. */
function findCycle(tasks) {
    const needs = new Map(tasks.map(task => [task.name, task.needs]));
    const state = new Map();
    const path = [];
    const visit = (name) => {
        const seen = state.get(name);
        if (seen === 'done')
            return undefined;
        if (seen === 'visiting')
            return [...path.slice(path.indexOf(name)), name];
        state.set(name, 'visiting');
        path.push(name);
        for (const need of needs.get(name) ?? []) {
            const cycle = visit(need);
            if (cycle)
                return cycle;
        }
        path.pop();
        state.set(name, 'done');
        return undefined;
    };
    for (const task of tasks) {
        const cycle = visit(task.name);
        if (cycle)
            return cycle;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/inputs/read-inputs.ts












/** What gives a review-threads run its items, for error messages. */
const REVIEW_THREADS_SOURCE = `${Inputs.ItemsFrom} '${ItemsFrom.ReviewThreads}'`;
/** Reads, checks and parses every input; throws one clear error for the first bad one. */
async function getInputs() {
    const given = {
        items: getInput(Inputs.Items, { trimWhitespace: false }),
        itemsFile: getInput(Inputs.ItemsFile),
        tasks: getInput(Inputs.Tasks, { trimWhitespace: false }),
        command: getInput(Inputs.Command, { trimWhitespace: false })
    };
    checkOneSource(given);
    const threads = readReviewThreadInputs(given);
    const { execution, dryRun, shard } = await readExecution();
    const timings = getInput(Inputs.Timings);
    const settings = {
        execution,
        timingsPath: timings === '' ? undefined : (0,external_node_path_namespaceObject.resolve)(execution.workingDirectory, timings),
        shard,
        dryRun,
        ifNoItems: parseEnum(Inputs.IfNoItems, getInput(Inputs.IfNoItems) || NoItemsBehavior.Warn, NoItemsBehavior),
        summary: parseBoolean(Inputs.Summary, getInput(Inputs.Summary) || 'true')
    };
    if (shard !== undefined && execution.stopOnSuccess !== undefined) {
        throw new Error(`Invalid inputs: '${Inputs.StopOnSuccess}' is set together with '${Inputs.Shard}'. ` +
            'Expected one of them: each shard would stop after its own successes, not the run.');
    }
    const mode = await readRunMode(given, threads, settings);
    return { mode, ...settings };
}
/** `items` and `items-file` exclude each other, and both exclude `tasks` (which has no command). */
function checkOneSource(given) {
    if (given.items.trim() !== '' && given.itemsFile !== '') {
        throw new Error(`Invalid inputs: both '${Inputs.Items}' and '${Inputs.ItemsFile}' are set. Expected only one of them.`);
    }
    if (given.tasks.trim() !== '' &&
        (given.items.trim() !== '' || given.itemsFile !== '' || given.command.trim() !== '')) {
        throw new Error(`Invalid inputs: '${Inputs.Tasks}' is set together with '${Inputs.Items}', '${Inputs.ItemsFile}' or ` +
            `'${Inputs.Command}'. Expected either named tasks, or items and a command.`);
    }
}
/**
 * The inputs on how tasks run, with `dry-run` and `shard` among them, read in the order their
 * errors have always been reported: of two bad inputs, the first read is the one named.
 */
async function readExecution() {
    const shell = parseEnum(Inputs.Shell, getInput(Inputs.Shell) || Shell.Bash, Shell);
    const maxWorkers = parseMaxWorkers(getInput(Inputs.MaxWorkers) || 'auto');
    const failFast = parseFailFast(getInput(Inputs.FailFast) || 'false');
    const failFastMode = parseEnum(Inputs.FailFastMode, getInput(Inputs.FailFastMode) || HaltMode.Cancel, HaltMode);
    const stopOnSuccess = parseStopOnSuccess(getInput(Inputs.StopOnSuccess) || '0');
    const totalTimeoutMs = parseTimeout(getInput(Inputs.TotalTimeout), Inputs.TotalTimeout);
    const dryRun = parseBoolean(Inputs.DryRun, getInput(Inputs.DryRun) || 'false');
    const timeoutMs = parseTimeout(getInput(Inputs.Timeout));
    const retries = parseRetries(getInput(Inputs.Retries) || '0');
    const retryDelayMs = parseRetryDelay(getInput(Inputs.RetryDelay) || '1s');
    const shard = parseShard(getInput(Inputs.Shard));
    const workingDirectory = await parseWorkingDirectory(getInput(Inputs.WorkingDirectory));
    const log = parseEnum(Inputs.Log, getInput(Inputs.Log) || LogMode.Grouped, LogMode);
    const workflowCommands = parseEnum(Inputs.WorkflowCommands, getInput(Inputs.WorkflowCommands) || WorkflowCommands.Annotations, WorkflowCommands);
    const execution = {
        shell,
        maxWorkers,
        failFast,
        failFastMode,
        stopOnSuccess: stopOnSuccess > 0 ? stopOnSuccess : undefined,
        totalTimeoutMs,
        timeoutMs,
        retries,
        retryDelayMs,
        workingDirectory,
        log,
        workflowCommands
    };
    return { execution, dryRun, shard };
}
/** The run mode the inputs ask for, with its own inputs read and checked. */
async function readRunMode(given, threads, settings) {
    const mergePattern = getInput(Inputs.MergeResults);
    const hasTasks = given.tasks.trim() !== '';
    if (mergePattern !== '') {
        const running = hasTasks || given.items.trim() !== '' || given.itemsFile !== '' || threads;
        if (running || settings.shard) {
            throw new Error(`Invalid inputs: '${Inputs.MergeResults}' is set together with items, tasks or '${Inputs.Shard}'. ` +
                `Expected '${Inputs.MergeResults}' alone, in a job that merges the shards' results.`);
        }
        return { kind: 'merge', pattern: mergePattern };
    }
    if (threads !== undefined) {
        return { kind: 'review-threads', command: given.command, threads, source: REVIEW_THREADS_SOURCE };
    }
    if (hasTasks) {
        const tasks = await parseTasks(given.tasks, Inputs.Tasks);
        const needing = tasks.find(task => task.needs.length > 0);
        if (settings.shard !== undefined && needing !== undefined) {
            throw new Error(`Invalid inputs: '${Inputs.Shard}' is set and task '${needing.name}' has needs, which cannot ` +
                `cross shards. Expected tasks without needs, or no '${Inputs.Shard}'.`);
        }
        return { kind: 'tasks', tasks };
    }
    const directory = settings.execution.workingDirectory;
    const items = given.itemsFile !== ''
        ? await readItemsFile((0,external_node_path_namespaceObject.resolve)(directory, given.itemsFile), Inputs.ItemsFile)
        : parseItems(given.items, { input: Inputs.Items });
    return {
        kind: 'items',
        items,
        source: given.itemsFile !== '' ? `${Inputs.ItemsFile} '${given.itemsFile}'` : Inputs.Items,
        command: given.command === '' ? undefined : given.command
    };
}

;// CONCATENATED MODULE: ./src/model/run-report.ts

/** How many records ended each way. */
function countStatuses(records) {
    const counts = {
        total: records.length,
        succeeded: 0,
        failed: 0,
        timedOut: 0,
        cancelled: 0,
        skipped: 0
    };
    for (const { status } of records) {
        if (status === TaskStatus.Success)
            counts.succeeded++;
        else if (status === TaskStatus.Failure)
            counts.failed++;
        else if (status === TaskStatus.TimedOut)
            counts.timedOut++;
        else if (status === TaskStatus.Cancelled)
            counts.cancelled++;
        else
            counts.skipped++;
    }
    return counts;
}
/** The report of a run with no tasks. */
function emptyReport(shell) {
    return {
        records: [],
        counts: countStatuses([]),
        durationMs: 0,
        workers: 0,
        shell,
        haltReason: null,
        haltKind: null
    };
}

;// CONCATENATED MODULE: ./src/results/field-formats.ts

/** A value in a file that is not what the format expects: `at` is its path, as `results[3].status`. */
class FieldError extends Error {
    at;
    problem;
    constructor(at, problem) {
        super(`'${at}' ${problem}`);
        this.at = at;
        this.problem = problem;
    }
    /** The same error seen from the object or array that holds the field under `key`. */
    within(key) {
        const inner = this.at === '' || this.at.startsWith('[') ? this.at : `.${this.at}`;
        return new FieldError(typeof key === 'number' ? `[${key}]${inner}` : `${key}${inner}`, this.problem);
    }
}
/**
 * Reads `json` with `field`, naming the field under `key` in any error. Paths are built only on
 * error, so that reading a large file builds no string per field.
 */
function readWithin(field, json, key) {
    try {
        return field.read(json);
    }
    catch (error) {
        throw error instanceof FieldError ? error.within(key) : error;
    }
}
/** A short, one-line picture of a JSON value for an error message. */
function shown(json) {
    if (json === undefined)
        return 'missing';
    return `${itemLabel(JSON.stringify(json), 60)}`;
}
/** A field whose JSON is the value itself, when `valid` accepts it. */
function checked(valid, expected) {
    return {
        write: value => value,
        read(json) {
            if (!valid(json))
                throw new FieldError('', `is ${shown(json)}. Expected ${expected}`);
            return json;
        }
    };
}
/** A string. */
const field_formats_text = checked(json => typeof json === 'string', 'a string');
/** true or false. */
const flag = checked(json => typeof json === 'boolean', 'true or false');
/** A whole number of at least `min` and, when `max` is given, at most `max`. */
function whole(min = 0, max) {
    return checked(json => typeof json === 'number' &&
        Number.isSafeInteger(json) &&
        json >= min &&
        (max === undefined || json <= max), max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`);
}
/** Any whole number (exit codes can be negative on Windows). */
const integer = checked(json => typeof json === 'number' && Number.isSafeInteger(json), 'a whole number');
/** Milliseconds: a finite number ≥ 0. */
const milliseconds = checked(json => typeof json === 'number' && Number.isFinite(json) && json >= 0, 'a number of milliseconds ≥ 0');
/** Any JSON value but a missing one: what an item is. */
const jsonValue = checked(json => json !== undefined, 'an item (any JSON value)');
/** One of the values of a string enum. */
function oneOf(values) {
    const known = new Set(Object.values(values));
    return checked(json => typeof json === 'string' && known.has(json), `one of ${[...known].join(', ')}`);
}
/** A map of strings to strings. */
const stringMap = checked(json => json !== null &&
    typeof json === 'object' &&
    !Array.isArray(json) &&
    Object.values(json).every(entry => typeof entry === 'string'), 'an object of strings');
/** An epoch time in milliseconds, written as an ISO 8601 time that reads back to the same number. */
const isoTime = {
    write: epochMs => new Date(epochMs).toISOString(),
    read(json) {
        const ms = typeof json === 'string' ? Date.parse(json) : NaN;
        if (Number.isNaN(ms) || new Date(ms).toISOString() !== json) {
            throw new FieldError('', `is ${shown(json)}. Expected a time such as 2026-01-31T12:00:00.000Z`);
        }
        return ms;
    }
};
/** The value or null. */
function nullable(field) {
    return {
        write: value => (value === null ? null : field.write(value)),
        read: json => (json === null ? null : field.read(json))
    };
}
/** The value or nothing: an absent key reads as undefined, and undefined is not written. */
function optional(field) {
    return {
        write: value => (value === undefined ? undefined : field.write(value)),
        read: json => (json === undefined ? undefined : field.read(json))
    };
}
/** An array of values of one format. */
function arrayOf(field) {
    return {
        write: values => values.map(value => field.write(value)),
        read(json) {
            if (!Array.isArray(json))
                throw new FieldError('', `is ${shown(json)}. Expected an array`);
            return json.map((entry, index) => readWithin(field, entry, index));
        }
    };
}
/**
 * An object with exactly the keys of its format, in the format's order, each under its own name
 * or the one `names` gives it. A key the format does not know is refused rather than dropped, so
 * a field from a newer writer is never lost unseen.
 */
function objectOf(format, names = {}) {
    const keys = Object.keys(format);
    const nameOf = (key) => names[key] ?? key;
    const known = new Set(keys.map(nameOf));
    return {
        write(value) {
            const json = {};
            for (const key of keys)
                json[nameOf(key)] = format[key].write(value[key]);
            return json;
        },
        read(json) {
            if (json === null || typeof json !== 'object' || Array.isArray(json)) {
                throw new FieldError('', `is ${shown(json)}. Expected an object`);
            }
            const source = json;
            const stranger = Object.keys(source).find(key => !known.has(key));
            if (stranger !== undefined) {
                throw new FieldError(stranger, `is not a field parallel-exec writes. Expected only ${[...known].join(', ')}`);
            }
            const value = {};
            for (const key of keys) {
                const read = readWithin(format[key], source[nameOf(key)], nameOf(key));
                if (read !== undefined)
                    value[key] = read;
            }
            return value;
        }
    };
}
/**
 * An object format under a `version` key, written first. A file with that version or none (one
 * written before the key existed, in the same format) is read; any other version is refused.
 */
function versioned(field, version) {
    return {
        write: value => ({ version, ...field.write(value) }),
        read(json) {
            const isObject = json !== null && typeof json === 'object' && !Array.isArray(json);
            if (!isObject || !Object.hasOwn(json, 'version'))
                return field.read(json);
            const { version: found, ...rest } = json;
            if (found !== version) {
                throw new FieldError('version', `is ${shown(found)}. Expected ${version} (or no version), the one this parallel-exec reads`);
            }
            return field.read(rest);
        }
    };
}

;// CONCATENATED MODULE: ./src/results/report-format.ts





/**
 * The most items a run can have: they are one array, and an array holds at most 2³² − 1 values.
 * Every count and item number read from a file stays within it, so none can size what a merge
 * builds beyond what a run could.
 */
const MAX_ITEMS = 2 ** 32 - 1;
const itemNumber = whole(0, MAX_ITEMS - 1);
const itemTotal = whole(0, MAX_ITEMS);
/**
 * The results file, both ways: every field of a report and of its records, with the type each
 * must have. Writing and reading go through these formats only, and each format must name every
 * key of its type (a compile error otherwise), so a field cannot be written and not read back.
 */
const RESOLVE_FORMAT = {
    resolved: flag,
    commentUrl: optional(field_formats_text),
    error: optional(field_formats_text)
};
/** A record's fields, in the order the file lists them: the public result first. */
const RECORD_FORMAT = {
    index: itemNumber,
    item: jsonValue,
    status: oneOf(TaskStatus),
    exitCode: nullable(integer),
    signal: nullable(field_formats_text),
    durationMs: milliseconds,
    attempts: whole(),
    command: field_formats_text,
    outputs: stringMap,
    needs: optional(arrayOf(field_formats_text)),
    resolve: optional(objectOf(RESOLVE_FORMAT)),
    slot: nullable(whole(1)),
    startedAt: nullable(isoTime),
    endedAt: nullable(isoTime),
    error: nullable(field_formats_text),
    outputTail: field_formats_text,
    summary: field_formats_text,
    skipReason: optional(field_formats_text)
};
/** The counts of a report, by status. */
const COUNTS_FORMAT = {
    total: itemTotal,
    succeeded: whole(),
    failed: whole(),
    timedOut: whole(),
    cancelled: whole(),
    skipped: whole()
};
const SHARD_ITEM_FORMAT = { index: itemNumber, item: jsonValue };
// As the `shard` input: at most MAX_SHARDS shards.
const SHARD_FORMAT = {
    index: whole(0, MAX_SHARDS - 1),
    total: whole(1, MAX_SHARDS),
    itemCount: itemTotal,
    itemsDigest: field_formats_text,
    splitDigest: field_formats_text,
    byTimings: flag,
    estimatedMs: milliseconds,
    estimatedTotalMs: milliseconds,
    items: arrayOf(objectOf(SHARD_ITEM_FORMAT))
};
const MERGE_FORMAT = {
    files: whole(),
    shards: nullable(whole(1, MAX_SHARDS)),
    missingShards: arrayOf(whole(0, MAX_SHARDS - 1)),
    problems: arrayOf(field_formats_text)
};
/** The shell the tasks ran in; '' when nothing ran (it reaches the summary as it is). */
const SHELLS = new Set(['', ...Object.values(Shell)]);
const SHELL = checked(json => typeof json === 'string' && SHELLS.has(json), `one of ${Object.values(Shell).join(', ')}, or '' when nothing ran`);
const REPORT_FORMAT = {
    counts: objectOf(COUNTS_FORMAT),
    durationMs: milliseconds,
    workers: whole(),
    shell: SHELL,
    haltReason: nullable(field_formats_text),
    haltKind: nullable(oneOf(HaltKind)),
    shard: optional(objectOf(SHARD_FORMAT)),
    merged: optional(objectOf(MERGE_FORMAT)),
    records: arrayOf(objectOf(RECORD_FORMAT))
};
/**
 * The version of the results file this code writes and reads. A file without one is read as
 * version 1: files were written without the key, in this same format, before it was added.
 */
const RESULTS_VERSION = 1;
/** The key of the file's records: a report's `records` are its `results`. */
const RECORDS_KEY = 'results';
/** The whole file: its version, then the report's fields, its records under `results`. */
const RESULTS_FILE_FORMAT = versioned(objectOf(REPORT_FORMAT, { records: RECORDS_KEY }), RESULTS_VERSION);

;// CONCATENATED MODULE: ./src/system/plain-files.ts

/**
 * Reading and writing files at paths a task can replace (its GITHUB_OUTPUT, its item file, ...):
 * nothing is written or truncated through a hard link or a symlink a task put there, and no read
 * waits on a FIFO or reads past a limit. Synchronous: a few small local calls cost less in line
 * than through the thread pool, and none of them can block.
 */
/** Opens for reading without following a symlink, and without waiting for a FIFO's writer. */
const READ_FLAGS = external_node_fs_namespaceObject.constants.O_RDONLY | (external_node_fs_namespaceObject.constants.O_NONBLOCK ?? 0) | (external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0);
/** Removes whatever is at `path` (a file, a link, a FIFO, a directory): the link, never its target. */
function removePath(path) {
    try {
        (0,external_node_fs_namespaceObject.unlinkSync)(path);
    }
    catch (error) {
        const code = error.code;
        if (code !== 'ENOENT')
            (0,external_node_fs_namespaceObject.rmSync)(path, { recursive: true, force: true });
    }
}
/**
 * Puts a new file holding `text` at `path`: whatever was there is removed, and the file is created
 * exclusively (O_EXCL, which follows no link), so no other file's content is ever touched.
 */
function createAfresh(path, text) {
    for (let attempt = 1;; attempt++) {
        removePath(path);
        try {
            (0,external_node_fs_namespaceObject.writeFileSync)(path, text, { flag: 'wx' });
            return;
        }
        catch (error) {
            // Something (a process a task left behind) put a file back in between: try again.
            if (error.code !== 'EEXIST' || attempt === 3)
                throw error;
        }
    }
}
/**
 * Leaves an empty file of ours at `path`. One already so (a task that wrote nothing) costs an
 * lstat; anything else (written to, a hard link to another file, a symlink, a FIFO) is replaced.
 */
function emptyFile(path) {
    const stats = (0,external_node_fs_namespaceObject.lstatSync)(path, { throwIfNoEntry: false });
    if (stats?.isFile() && stats.size === 0 && stats.nlink === 1)
        return;
    createAfresh(path, '');
}
/**
 * The first `limit` bytes of the plain file at `path` (or `limit + 1`, with `oneMore`, to tell a
 * file over the limit); undefined when there is none, or something else is there (a symlink, a
 * FIFO, a directory, a device).
 */
function readPlainFile(path, limit, oneMore = false) {
    let fd;
    try {
        fd = (0,external_node_fs_namespaceObject.openSync)(path, READ_FLAGS);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENXIO')
            return undefined;
        throw error;
    }
    try {
        const stats = (0,external_node_fs_namespaceObject.fstatSync)(fd);
        if (!stats.isFile())
            return undefined;
        const bytes = Buffer.allocUnsafe(Math.min(stats.size, limit + (oneMore ? 1 : 0)));
        let read = 0;
        while (read < bytes.length) {
            const count = (0,external_node_fs_namespaceObject.readSync)(fd, bytes, read, bytes.length - read, read);
            if (count === 0)
                break;
            read += count;
        }
        return { bytes: bytes.subarray(0, read), size: stats.size };
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}

;// CONCATENATED MODULE: ./src/results/timings-file.ts






/** Name of the timings file a run writes for the next one. */
const TIMINGS_FILE = 'timings.json';
/** The version of the timings file this code writes; reading does not look at it. */
const TIMINGS_VERSION = 1;
/** Whether a task with this status ran its full length: skipped or cancelled tasks did not. */
function ranToAnEnd(status) {
    return status === TaskStatus.Success || status === TaskStatus.Failure;
}
/**
 * Reads durations from a previous run: its `timings-file` (`{"timings": {item: ms}}`) or its
 * `results-file` (`{"results": [{item, durationMs, status}]}`). A missing file is normal (the
 * first run, or a cache miss) and gives no timings; so does a file that is not one of these,
 * with the reason, since a stale cache should slow a run down, not fail it.
 */
async function readTimings(path) {
    let text;
    try {
        text = await (0,promises_namespaceObject.readFile)(path, 'utf8');
    }
    catch {
        return { timings: new Map(), problem: `no file at '${path}' (a first run or a cache miss)` };
    }
    try {
        return timingsFromJson(JSON.parse(text), path);
    }
    catch {
        // Also JSON that is null, or holds a null among the results: there is nothing to read there.
        return { timings: new Map(), problem: `'${path}' is not JSON` };
    }
}
/**
 * The durations in a parsed timings or results file, each field taken when usable and passed
 * over otherwise: a file of any version still gives what it can. Throws on a null in place of
 * the file or of a result.
 */
function timingsFromJson(data, path) {
    const timings = new Map();
    if (data.timings !== undefined && typeof data.timings === 'object' && data.timings !== null) {
        for (const [item, ms] of Object.entries(data.timings)) {
            if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0)
                timings.set(item, ms);
        }
        return { timings };
    }
    const results = data[RECORDS_KEY];
    if (Array.isArray(results)) {
        for (const result of results) {
            if (!ranToAnEnd(result.status))
                continue;
            if (typeof result.durationMs !== 'number' || result.item === undefined)
                continue;
            timings.set(itemText(result.item), result.durationMs);
        }
        return { timings };
    }
    return { timings, problem: `'${path}' holds neither timings nor results` };
}
/** The previous timings, updated with every task of this run that ran to an end. */
function timingsAfter(previous, records) {
    const timings = new Map(previous);
    for (const record of records) {
        if (ranToAnEnd(record.status))
            timings.set(itemText(record.item), record.durationMs);
    }
    return timings;
}
/** The JSON text of a timings file. */
function timingsFileText(timings) {
    return JSON.stringify({ version: TIMINGS_VERSION, timings: Object.fromEntries(timings) }) + '\n';
}
/**
 * Writes the timings for the next run: the previous ones, updated with every task of this run
 * that ran to an end. Returns the path.
 */
async function writeTimings(directory, previous, records) {
    const path = (0,external_node_path_namespaceObject.join)(directory, TIMINGS_FILE);
    // The directory holds the tasks' own files: a link a task put at the path is replaced.
    createAfresh(path, timingsFileText(timingsAfter(previous, records)));
    return path;
}

;// CONCATENATED MODULE: ./src/results/report-checks.ts




// What a results file's fields must agree on, beyond each one's type; a FieldError names the first
// field that does not.
/** Checks what the fields of a report read from a file must agree on, beyond each one's type. */
function checkConsistency(report) {
    const { shard, merged } = report;
    const actual = countStatuses(report.records);
    checkCounts(report, actual);
    checkHalt(report, actual.cancelled);
    checkSlots(report);
    if (merged !== undefined && shard === undefined)
        checkMerged(report, merged);
    if (shard !== undefined)
        checkShard(report, shard);
}
/** The counts must be those of the records. */
function checkCounts(report, actual) {
    const { records, counts, merged } = report;
    for (const key of Object.keys(COUNTS_FORMAT)) {
        // A merge counts the items of missing shards in total, without records.
        const agrees = key === 'total' && merged !== undefined
            ? counts.total >= records.length
            : counts[key] === actual[key];
        if (!agrees) {
            throw new FieldError(`counts.${key}`, `is ${counts[key]}, but the results hold ${actual[key]}. Expected the counts of its results`);
        }
    }
}
/** A halt's kind comes with its reason, and every cancellation with a halt. */
function checkHalt(report, cancelled) {
    // A merge of runs that halted differently keeps their reasons but no one kind.
    if (report.haltKind !== null && report.haltReason === null) {
        throw new FieldError('haltKind', `is ${report.haltKind}. Expected it with a haltReason only`);
    }
    if (report.haltKind === null && report.haltReason !== null && report.merged === undefined) {
        throw new FieldError('haltKind', 'is null. Expected the kind of the haltReason');
    }
    // Only a halt stops a task before it ends: a cancellation without one would go unexplained.
    if (cancelled > 0 && report.haltReason === null) {
        throw new FieldError('haltReason', `is null, but ${cancelled} of the results ${cancelled === 1 ? 'is' : 'are'} ` +
            'cancelled. Expected the halt that cancelled them');
    }
}
/** Every record's worker slot is one of the run's workers. */
function checkSlots(report) {
    report.records.forEach((record, position) => {
        if (record.slot !== null && record.slot > report.workers) {
            throw new FieldError(`${RECORDS_KEY}[${position}].slot`, `is ${record.slot}. Expected at most the ${report.workers} workers of the run`);
        }
    });
}
/** What a shard's file must agree on: its number, its halt and its item numbers. */
function checkShard(report, shard) {
    if (report.merged !== undefined) {
        throw new FieldError('merged', 'is set with shard. Expected a shard or a merge, not both');
    }
    if (shard.index >= shard.total) {
        throw new FieldError('shard.index', `is ${shard.index}. Expected less than ${shard.total}`);
    }
    // stop-on-success is refused with shard: such a halt would excuse cancellations it never had.
    if (report.haltKind === HaltKind.Successes) {
        throw new FieldError('haltKind', 'is successes. Expected no stop-on-success in a shard');
    }
    // Ascending item numbers below itemCount: so a shard holds at most itemCount items.
    shard.items.forEach(({ index }, position) => {
        const previous = shard.items[position - 1]?.index ?? -1;
        if (index <= previous || index >= shard.itemCount) {
            throw new FieldError(`shard.items[${position}].index`, `is ${index}. Expected item numbers in ascending order, below ${shard.itemCount}`);
        }
    });
}
/**
 * What a merge's own file must agree on: items without a record and missing shards are only
 * ever there with the problems that explain them, so reading the file back cannot hide them.
 */
function checkMerged(report, merged) {
    const withoutRecord = report.counts.total - report.records.length;
    if (withoutRecord > 0 && merged.problems.length === 0) {
        throw new FieldError('merged.problems', `is empty, but ${withoutRecord} of the ${report.counts.total} items have no result. ` +
            'Expected the problems that left them without one');
    }
    if (merged.missingShards.length === 0)
        return;
    if (merged.problems.length === 0) {
        throw new FieldError('merged.problems', `is empty, but missingShards lists ${merged.missingShards.join(', ')}. ` +
            'Expected the problem that names them');
    }
    merged.missingShards.forEach((index, position) => {
        const previous = merged.missingShards[position - 1] ?? -1;
        if (merged.shards === null || index <= previous || index >= merged.shards) {
            throw new FieldError(`merged.missingShards[${position}]`, `is ${index}. Expected shard numbers in ascending order, below the ${merged.shards ?? 0} shards`);
        }
    });
}

;// CONCATENATED MODULE: ./src/results/results-file.ts






/** Name of the results file a run writes. */
const RESULTS_FILE = 'results.json';
/** The JSON text of a report's results file. */
function resultsFileText(report) {
    return JSON.stringify(RESULTS_FILE_FORMAT.write(report), null, 2) + '\n';
}
/**
 * Writes the results file: every record with its start and end times, worker slot, error and
 * output tail, and how the run went. Returns its path.
 */
async function writeResultsFile(directory, report) {
    await (0,promises_namespaceObject.mkdir)(directory, { recursive: true });
    const path = (0,external_node_path_namespaceObject.join)(directory, RESULTS_FILE);
    // The directory holds the tasks' own files: a link a task put at the path is replaced.
    createAfresh(path, resultsFileText(report));
    return path;
}
/**
 * Reads a results file, refusing one that is not exactly what writeResultsFile writes; errors
 * call it `name`.
 */
async function readResultsFile(path, name = path) {
    let content;
    try {
        content = await (0,promises_namespaceObject.readFile)(path, 'utf8');
    }
    catch (error) {
        throw invalid(name, `it cannot be read (${String(error)}). Expected a results-file`);
    }
    return parseResultsFile(content, name);
}
/** A report from a results file's text; `path` names it in errors. */
function parseResultsFile(content, path) {
    let json;
    try {
        json = JSON.parse(content);
    }
    catch {
        throw invalid(path, 'it is not JSON. Expected a results-file written by parallel-exec');
    }
    try {
        const report = RESULTS_FILE_FORMAT.read(json);
        checkConsistency(report);
        return report;
    }
    catch (error) {
        if (!(error instanceof FieldError))
            throw error;
        throw invalid(path, error.at === '' ? `it ${error.problem}` : error.message);
    }
}
/** The error that refuses the results file at `path`. */
function invalid(path, problem) {
    return new Error(`Invalid results file '${path}': ${problem}.`);
}

;// CONCATENATED MODULE: ./src/report/xml-text.ts
/**
 * What XML 1.0 cannot hold at all (outside its `Char` production, not even as a character
 * reference): C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF (as a class's
 * ranges), and a surrogate not in a pair.
 */
const NOT_XML_RANGES = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff';
const xml_text_LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|[\\udc00-\\udfff](?<![\\ud800-\\udbff][\\udc00-\\udfff])';
/** What stands for a character XML cannot hold: U+FFFD, as for bytes that are not UTF-8. */
const XML_REPLACEMENT = '\ufffd';
/** Markup characters as references; CR, tab and LF too, which a parser would turn into others. */
const REFERENCE = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    '\t': '&#9;',
    '\n': '&#10;',
    '\r': '&#13;'
};
/** In element content: markup, CR, and what XML cannot hold, found in one pass. */
const TEXT_SPECIAL = new RegExp(`[&<>\\r${NOT_XML_RANGES}]|${xml_text_LONE_SURROGATE}`, 'g');
/** In an attribute value: the same, and the quote, tab and LF. */
const ATTRIBUTE_SPECIAL = new RegExp(`[&<>"\\t\\n\\r${NOT_XML_RANGES}]|${xml_text_LONE_SURROGATE}`, 'g');
/** A special character's reference, or U+FFFD for one XML cannot hold. */
const escaped = (ch) => REFERENCE[ch] ?? XML_REPLACEMENT;
/**
 * Text as element content that a parser reads back as the text with every character XML cannot
 * hold replaced by U+FFFD: `>` is escaped too, so `]]>` never appears, and CR as a reference,
 * which a parser would otherwise turn into LF.
 */
function xmlText(text) {
    return text.replace(TEXT_SPECIAL, escaped);
}
/**
 * Text as a double-quoted attribute value that a parser reads back as the text with every
 * character XML cannot hold replaced by U+FFFD: tab, LF and CR as references, since attribute
 * normalisation turns them into spaces.
 */
function xmlAttribute(text) {
    return text.replace(ATTRIBUTE_SPECIAL, escaped);
}

;// CONCATENATED MODULE: ./src/report/junit.ts






/** Name of the JUnit file a run writes, next to its results file. */
const JUNIT_FILE = 'junit.xml';
/** The suite's name, and every test's class: reporters group a suite's tests by it. */
const JUNIT_SUITE = 'parallel-exec';
/** Test names are item labels cut as annotation titles are. */
const JUNIT_NAME_MAX = 200;
/**
 * Items a merge has no result for get a testcase each up to this many, and the rest one together:
 * a results file may claim up to 2^32 - 1 items, more testcases than memory holds.
 */
const MAX_MISSING_CASES = 100_000;
/** Writes the report as a JUnit XML file into `directory`; returns its path. */
async function writeJunitFile(directory, report) {
    await (0,promises_namespaceObject.mkdir)(directory, { recursive: true });
    const path = (0,external_node_path_namespaceObject.join)(directory, JUNIT_FILE);
    // The directory holds the tasks' own files: a link a task put at the path is replaced.
    createAfresh(path, junitXml(report));
    return path;
}
/**
 * The report as JUnit XML, as dorny/test-reporter, mikepenz/action-junit-report and
 * EnricoMi/publish-unit-test-result-action read it: one suite, one testcase per item in input
 * order (named by its label), a `failure` for a task that failed or timed out, `skipped` for one
 * skipped or cancelled, and an `error` for an item a merge has no result for.
 */
function junitXml(report) {
    const missing = itemsWithoutResult(report);
    const cases = [
        ...report.records.map(record => ({ index: record.index, xml: recordCase(record, report) })),
        ...missing.indexes.map(index => ({ index, xml: missingCase(`item ${index + 1}`) })),
        ...(missing.rest > 0
            ? [{ index: Infinity, xml: missingCase(`${missing.rest} more items`) }]
            : [])
    ].sort((a, b) => a.index - b.index);
    const errors = cases.length - report.records.length;
    const failures = report.records.filter(({ status }) => status === TaskStatus.Failure || status === TaskStatus.TimedOut).length;
    const skipped = report.records.filter(({ status }) => status === TaskStatus.Skipped || status === TaskStatus.Cancelled).length;
    const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" ` +
        `skipped="${skipped}" time="${seconds(report.durationMs)}"`;
    const problems = report.merged?.problems ?? [];
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="${JUNIT_SUITE}" ${counts}>`,
        `  <testsuite name="${JUNIT_SUITE}" ${counts}>`,
        ...cases.map(({ xml }) => `    ${xml}`),
        ...(problems.length > 0
            ? [`    <system-err>${xmlText(problems.join('\n'))}</system-err>`]
            : []),
        '  </testsuite>',
        '</testsuites>',
        ''
    ].join('\n');
}
/** The testcase of an item's record. */
function recordCase(record, report) {
    const open = `<testcase name="${xmlAttribute(itemLabel(record.item, JUNIT_NAME_MAX))}" ` +
        `classname="${JUNIT_SUITE}" time="${seconds(record.durationMs)}"`;
    switch (record.status) {
        case TaskStatus.Success:
            return `${open}/>`;
        case TaskStatus.Failure:
        case TaskStatus.TimedOut:
            return (`${open}><failure message="${xmlAttribute(failureOf(record))}" type="${record.status}">` +
                `${xmlText(record.outputTail)}</failure></testcase>`);
        case TaskStatus.Skipped:
        case TaskStatus.Cancelled:
            return `${open}><skipped message="${xmlAttribute(skipOf(record, report))}"/></testcase>`;
    }
}
/** The testcase of items a merge has no record for: an error, as they fail the step. */
function missingCase(name) {
    return (`<testcase name="${name}" classname="${JUNIT_SUITE}" time="0.000">` +
        '<error message="no result: the merged results files have no record of it" ' +
        'type="no-result"/></testcase>');
}
/** How a task failed: its exit code, its signal, the error, and its attempts when retried. */
function failureOf(record) {
    return ((record.status === TaskStatus.TimedOut ? 'timed out' : 'failed') +
        (record.exitCode !== null ? ` with exit code ${record.exitCode}` : '') +
        (record.signal !== null ? ` (${record.signal})` : '') +
        (record.attempts > 1 ? ` after ${record.attempts} attempts` : '') +
        (record.error ? `: ${record.error}` : ''));
}
/** Why a task did not run to its end: its skip reason, or the halt that cancelled it. */
function skipOf(record, report) {
    if (record.status === TaskStatus.Skipped)
        return record.skipReason ?? 'skipped';
    return report.haltReason ? `cancelled: ${report.haltReason}` : 'cancelled';
}
/**
 * The items the counts hold without a record (a merge's missing shards or records): the 0-based
 * places no record has, lowest first, up to MAX_MISSING_CASES of them, and how many more there are.
 */
function itemsWithoutResult(report) {
    const missing = Math.max(0, report.counts.total - report.records.length);
    const listed = Math.min(missing, MAX_MISSING_CASES);
    const recorded = new Set(report.records.map(record => record.index));
    const indexes = [];
    for (let index = 0; indexes.length < listed; index++) {
        if (!recorded.has(index))
            indexes.push(index);
    }
    return { indexes, rest: missing - listed };
}
/** Milliseconds as JUnit's seconds, to the millisecond. */
function seconds(ms) {
    return (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);
}

;// CONCATENATED MODULE: ./src/system/glob.ts


/**
 * A pattern for a path glob: `*` is any run of characters within a path segment, `**` any number
 * of whole segments, `?` one character other than `/`; everything else stands for itself.
 */
function globToRegExp(glob) {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
        const char = glob[i];
        if (char === '?') {
            source += '[^/]';
        }
        else if (char !== '*') {
            source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
        }
        else if (glob[i + 1] !== '*') {
            source += '[^/]*';
        }
        else {
            const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
            if (!wholeSegment)
                source += '[^/]*'; // `a**b` is just `a*b`
            else if (glob[i + 2] === '/')
                source += '(?:[^/]*/)*'; // `**/`: no segments or some
            else
                source += '.*'; // a trailing `**`: everything below
            i += wholeSegment && glob[i + 2] === '/' ? 2 : 1;
        }
    }
    return new RegExp(`^${source}$`);
}
/**
 * The files matching any of the globs (one per line; relative ones from `cwd`), sorted, each once.
 * Only the part of the tree below each glob's literal prefix is read.
 */
async function findFiles(patterns, cwd) {
    const found = new Set();
    for (const line of patterns.split(/\r?\n/)) {
        const glob = line.trim().split(external_node_path_namespaceObject.sep).join('/');
        if (glob === '')
            continue;
        const absolute = ((0,external_node_path_namespaceObject.isAbsolute)(glob) ? glob : (0,external_node_path_namespaceObject.join)(cwd, glob)).split(external_node_path_namespaceObject.sep).join('/');
        const segments = absolute.split('/');
        const firstWild = segments.findIndex(segment => /[*?]/.test(segment));
        if (firstWild === -1) {
            if (await isFile(absolute))
                found.add((0,external_node_path_namespaceObject.resolve)(absolute));
            continue;
        }
        // '/' alone for the root, and 'D:/' rather than 'D:' (the current directory on drive D).
        const base = segments.slice(0, firstWild).join('/') +
            (firstWild <= 1 || /:$/.test(segments[firstWild - 1]) ? '/' : '');
        const matcher = globToRegExp(segments.slice(firstWild).join('/'));
        const entries = await (0,promises_namespaceObject.readdir)(base, { recursive: true, withFileTypes: true }).catch(() => []);
        for (const entry of entries) {
            if (!entry.isFile())
                continue;
            const path = (0,external_node_path_namespaceObject.join)(entry.parentPath, entry.name);
            if (matcher.test((0,external_node_path_namespaceObject.relative)(base, path).split(external_node_path_namespaceObject.sep).join('/')))
                found.add((0,external_node_path_namespaceObject.resolve)(path));
        }
    }
    return [...found].sort();
}
async function isFile(path) {
    const stats = await (0,promises_namespaceObject.stat)(path).catch(() => undefined);
    return stats?.isFile() ?? false;
}

;// CONCATENATED MODULE: ./src/plan/timings.ts
/**
 * Priorities that start the longest known tasks first (longest-processing-time first), after any
 * explicit priority. Unknown tasks are taken to last as long as the average known one, and keep
 * their input order among equals; results stay in input order whatever the start order.
 */
function prioritiesFromTimings(keys, explicit, timings) {
    const estimate = estimateDurations(keys, timings);
    const order = keys
        .map((_, index) => index)
        .sort((a, b) => (explicit[b] ?? 0) - (explicit[a] ?? 0) ||
        estimate[b] - estimate[a] ||
        a - b);
    // The scheduler starts higher priorities first and breaks ties by index: rank them so.
    const priorities = new Array(keys.length);
    order.forEach((index, rank) => (priorities[index] = keys.length - rank));
    return priorities;
}
/**
 * Each task's expected duration: its known one, or the average known one when it has none (all
 * equal when nothing is known).
 */
function estimateDurations(keys, timings) {
    const known = keys.map(key => timings.get(key)).filter((ms) => ms !== undefined);
    const average = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    return keys.map(key => timings.get(key) ?? average);
}

;// CONCATENATED MODULE: ./src/plan/shard.ts




/**
 * The shard of each task, balancing estimated durations: longest first, each onto the shard with
 * the least estimated load so far (ties: fewer tasks, then the lower shard). The greedy
 * longest-processing-time rule ends within 4/3 of the best possible split and, unlike splitting
 * by count, does not pile the long tasks onto one shard. With equal estimates it deals the tasks
 * round-robin in input order. The result depends only on its arguments, so every job of a
 * matrix computes the same split.
 */
function assignShards(estimates, shards) {
    const order = estimates
        .map((_, index) => index)
        .sort((a, b) => estimates[b] - estimates[a] || a - b);
    const load = new Array(shards).fill(0);
    const count = new Array(shards).fill(0);
    const shardOf = new Array(estimates.length);
    for (const task of order) {
        let best = 0;
        for (let shard = 1; shard < shards; shard++) {
            const lighter = load[shard] < load[best] ||
                (load[shard] === load[best] && count[shard] < count[best]);
            if (lighter)
                best = shard;
        }
        shardOf[task] = best;
        load[best] = load[best] + estimates[task];
        count[best] = count[best] + 1;
    }
    return shardOf;
}
/**
 * Narrows a plan to one shard's items. Every item keeps its place in the whole input (its `{#}`,
 * its number in the log and its `index` in the results), so shards merge back in input order.
 */
function takeShard(plan, shard, timings) {
    const keys = plan.prepared.map(prepared => itemText(prepared.item));
    const known = keys.some(key => timings.has(key));
    const estimates = estimateDurations(keys, timings);
    const shardOf = assignShards(estimates, shard.total);
    const mine = keys.map((_, index) => index).filter(index => shardOf[index] === shard.index);
    const sum = (indexes) => indexes.reduce((total, index) => total + estimates[index], 0);
    return {
        template: plan.template,
        prepared: mine.map(index => plan.prepared[index]),
        // Sharding refuses tasks with needs, so there are none to carry over.
        needs: plan.needs === undefined ? undefined : mine.map(() => []),
        priorities: mine.map(index => plan.priorities[index]),
        shard: {
            ...shard,
            itemCount: keys.length,
            itemsDigest: itemsDigest(keys),
            splitDigest: splitDigest(shardOf),
            byTimings: known,
            estimatedMs: known ? Math.round(sum(mine)) : 0,
            estimatedTotalMs: known ? Math.round(sum(keys.map((_, index) => index))) : 0,
            items: mine.map(index => {
                const { item } = plan.prepared[index];
                return { index, item };
            })
        }
    };
}
/** A digest of the whole split (the shard of each item) that shards compare to be sure they agree. */
function splitDigest(shardOf) {
    return nodeCrypto().createHash('sha256').update(shardOf.join(',')).digest('hex');
}
/** A digest of the item list that shards compare to be sure they split the same items. */
function itemsDigest(keys) {
    const hash = nodeCrypto().createHash('sha256');
    for (const key of keys)
        hash.update(`${Buffer.byteLength(key)}:${key}`);
    return hash.digest('hex');
}
/** The log line that says which share of the items this job runs. */
function describeShard(shard, count) {
    const balance = shard.byTimings
        ? `balanced by timings: about ${formatDuration(shard.estimatedMs)} of ${formatDuration(shard.estimatedTotalMs)} in all`
        : 'dealt round-robin; give timings to balance by duration';
    return `Shard ${shard.index}/${shard.total}: ${count} of ${shard.itemCount} items (${balance}).`;
}

;// CONCATENATED MODULE: ./src/report/merge-checks.ts



/** How many items a problem names before saying how many more there are. */
const NAMED_ITEMS = 3;
/** How a problem names a file: its shard and path, or its path. */
function fileName(file) {
    const shard = file.report.shard;
    return shard ? `Shard ${shard.index}/${shard.total} (${file.path})` : `'${file.path}'`;
}
/** An item as messages name it: its number among all the items, and its text when known. */
function itemName(index, item) {
    return `item ${index + 1}` + (item === undefined ? '' : ` '${itemLabel(item, 60)}'`);
}
/**
 * Names the first few items and counts the rest: `item 2 'a', item 5 'b' and 7 more`; `count`
 * is how many there are in all when `names` holds only the first of them.
 */
function itemList(names, count = names.length) {
    const shown = names.slice(0, NAMED_ITEMS).join(', ');
    return count > NAMED_ITEMS ? `${shown} and ${count - NAMED_ITEMS} more` : shown;
}
/**
 * The items below `total` without a record: the first few named, and how many in all. It looks
 * only at as many numbers as there are records, however large `total` is.
 */
function unanswered(total, answered) {
    const below = [...answered].filter(index => index < total).length;
    const names = [];
    for (let index = 0; index < total && names.length < NAMED_ITEMS; index++) {
        if (!answered.has(index))
            names.push(itemName(index));
    }
    return [names, total - below];
}
/**
 * The records of one file that the merge can use, and what is wrong with the others. A shard
 * must have exactly one record for each item the split gave it, for that very item, and none for
 * any other item; a plain run one record for each of its items. A record for a foreign item or
 * for another item than the split's is set aside (its item has no result); of two records for
 * one item, the first is kept. Items without a record count as without a result.
 */
function checkRecords(file) {
    const { shard, counts } = file.report;
    // Built from what the file holds, never from its counts: a count cannot size what is built.
    const splitItems = new Map(shard?.items.map(({ index, item }) => [index, item]));
    const isOwn = (index) => (shard ? splitItems.has(index) : index < counts.total);
    const used = new Map();
    // By item number, so that an item named twice is listed once.
    const foreign = new Map();
    const twice = new Map();
    const otherItem = [];
    const answered = new Set();
    for (const record of file.report.records) {
        const wanted = splitItems.get(record.index);
        if (!isOwn(record.index)) {
            foreign.set(record.index, itemName(record.index, record.item));
        }
        else if (used.has(record.index)) {
            twice.set(record.index, itemName(record.index, wanted ?? record.item));
        }
        else if (wanted !== undefined && itemText(wanted) !== itemText(record.item)) {
            otherItem.push(`${itemName(record.index, record.item)} where the split has '${itemLabel(wanted, 60)}'`);
        }
        else {
            used.set(record.index, record);
        }
        answered.add(record.index);
    }
    const [missing, missingCount] = missingRecords(file, answered);
    const name = fileName(file);
    const problems = [
        missingCount > 0 ? `${name} has no record for ${itemList(missing, missingCount)}.` : '',
        twice.size > 0
            ? `${name} has more than one record for ${itemList([...twice.values()])}; the first is kept.`
            : '',
        foreign.size > 0
            ? `${name} has records for items that are not its own: ${itemList([...foreign.values()])}.`
            : '',
        otherItem.length > 0
            ? `${name} has records for other items than the split's: ${itemList(otherItem)}.`
            : ''
    ].filter(Boolean);
    return { records: [...used.values()], problems };
}
/**
 * The file's items without a record, the first few named, and how many in all. A merge's own
 * file lacks the records of the shards it was missing, which its problems already name.
 */
function missingRecords(file, answered) {
    const { shard, counts, merged } = file.report;
    if (merged !== undefined)
        return [[], 0];
    // A plain run's items are 0 to total − 1.
    if (shard === undefined)
        return unanswered(counts.total, answered);
    const names = shard.items
        .filter(({ index }) => !answered.has(index))
        .map(({ index, item }) => itemName(index, item));
    return [names, names.length];
}
/**
 * Checks the shards' item lists against each other: no item in two shards and, once every shard
 * is here, together exactly the run's items and split as every shard's digests say. A shard file
 * changed after its run cannot then pass its own items off as the split.
 */
function checkSplit(files, first) {
    // Keyed by the items the files hold, never sized by itemCount: a file sets that number.
    const owner = new Map();
    const shardOf = new Map();
    const texts = new Map();
    for (const file of files) {
        const shard = file.report.shard;
        for (const { index, item } of shard.items) {
            const other = owner.get(index);
            if (other !== undefined) {
                return [
                    `${fileName(file)} and ${fileName(other)} both have ${itemName(index, item)} among their items; ` +
                        'the split gives each item to one shard.'
                ];
            }
            owner.set(index, file);
            shardOf.set(index, shard.index);
            texts.set(index, itemText(item));
        }
    }
    if (files.length === first.total) {
        // No item is in two shards: all below itemCount are owned exactly when itemCount of them
        // are, and the first unowned is at most owner.size.
        const owned = [...owner.keys()].filter(index => index < first.itemCount).length;
        if (owned < first.itemCount) {
            let unowned = 0;
            while (owner.has(unowned))
                unowned++;
            return [`No shard has ${itemName(unowned)} among its items, of the run's ${first.itemCount}.`];
        }
        // Every item 0 to itemCount − 1 is owned: in input order, the maps list them in full.
        const inOrder = [...owner.keys()].sort((a, b) => a - b);
        const split = inOrder.map(index => shardOf.get(index));
        const items = inOrder.map(index => texts.get(index));
        if (splitDigest(split) !== first.splitDigest || itemsDigest(items) !== first.itemsDigest) {
            return [
                "The shards' item lists do not add up to the run's items and split (their digests differ): " +
                    'a results file was changed after its run.'
            ];
        }
    }
    return [];
}
/**
 * Why the files cannot be merged at all, or undefined: they must be the shards of one split of
 * one item list (the same items, the same number of shards and the same split, each shard once),
 * or all come from runs without shard.
 */
function whyNotOneRun(ordered) {
    const first = ordered[0];
    const plain = ordered.find(file => file.report.shard === undefined);
    if (first === undefined || first.report.shard === undefined) {
        const shardedOne = ordered.find(file => file.report.shard !== undefined);
        return shardedOne === undefined ? undefined : mixed(plain);
    }
    if (plain !== undefined)
        return mixed(plain);
    const { total, itemCount, itemsDigest, splitDigest } = first.report.shard;
    const seen = new Map();
    for (const file of ordered) {
        const shard = file.report.shard;
        if (shard.total !== total ||
            shard.itemCount !== itemCount ||
            shard.itemsDigest !== itemsDigest) {
            return (`Invalid merge-results: '${file.path}' and '${first.path}' come from different runs ` +
                '(other items or another number of shards). Expected the results files of the shards of one run.');
        }
        if (shard.splitDigest !== splitDigest) {
            return (`Invalid merge-results: '${file.path}' and '${first.path}' split the items differently, so ` +
                'some items ran twice or not at all. Expected every shard to read the same timings file.');
        }
        const twin = seen.get(shard.index);
        if (twin !== undefined) {
            return (`Invalid merge-results: shard ${shard.index}/${shard.total} appears twice, in '${twin}' and ` +
                `'${file.path}'. Expected one results file per shard.`);
        }
        seen.set(shard.index, file.path);
    }
    return undefined;
}
/** The refusal of a merge of sharded and unsharded runs' files. */
function mixed(plain) {
    return (`Invalid merge-results: '${plain.path}' comes from a run without shard, the others from ` +
        'sharded runs. Expected the results files of the shards of one run.');
}

;// CONCATENATED MODULE: ./src/report/merge.ts






/** Reads and merges every results file the globs match; none matching is an error. */
async function mergeResultsFiles(globs, cwd, input) {
    const paths = await findFiles(globs, cwd);
    if (paths.length === 0) {
        throw new Error(`Invalid ${input} '${globs.trim()}': no file matches. Expected the shards' results files, ` +
            'such as downloaded with actions/download-artifact.');
    }
    // Files are named as the globs found them, relative to the working directory.
    const names = paths.map(path => {
        const inside = (0,external_node_path_namespaceObject.relative)(cwd, path);
        return inside.startsWith('..') || (0,external_node_path_namespaceObject.isAbsolute)(inside) ? path : inside;
    });
    const files = [];
    const refused = [];
    const reads = await Promise.allSettled(paths.map((path, position) => readResultsFile(path, names[position])));
    reads.forEach((read, position) => {
        if (read.status === 'fulfilled') {
            files.push({ path: names[position], report: read.value });
        }
        else {
            refused.push(read.reason instanceof Error ? read.reason.message : String(read.reason));
        }
    });
    return mergeReports(files, refused);
}
/**
 * One report from several results files: every record in input order, slots renumbered so each
 * shard's workers get rows of their own, wall time the longest shard's. Shards must come from one
 * split of one item list: the same items, the same number of shards and the same split, each shard
 * once, else nothing is merged. What can still be merged around is reported in `merged`, not
 * hidden: a missing shard, a file `refused` as invalid, records that do not match the split.
 */
function mergeReports(files, refused = []) {
    const ordered = [...files].sort((a, b) => (a.report.shard?.index ?? 0) - (b.report.shard?.index ?? 0));
    const first = ordered[0]?.report.shard;
    const refusal = whyNotOneRun(ordered);
    if (refusal !== undefined)
        return nothingMerged(files, ordered, [refusal, ...refused]);
    // Without a refusal, either every file is a shard (and `first` is set) or none is.
    const { records, problems } = mergeRecords(ordered, first === undefined);
    const missingShards = first === undefined ? [] : missingShardIndexes(ordered, first);
    const splitProblems = first === undefined ? [] : checkSplit(ordered, first);
    if (missingShards.length > 0 && first !== undefined) {
        splitProblems.unshift(missingShardsProblem(ordered, first, missingShards, refused.length > 0));
    }
    const counts = countStatuses(records);
    // Items without a record (missing shards, missing or refused records) are items of the run.
    counts.total =
        first?.itemCount ?? ordered.reduce((sum, file) => sum + file.report.counts.total, 0);
    return {
        records,
        counts,
        durationMs: Math.max(0, ...ordered.map(file => file.report.durationMs)),
        workers: ordered.reduce((sum, file) => sum + file.report.workers, 0),
        shell: ordered[0]?.report.shell ?? '',
        haltReason: mergedHaltReason(ordered),
        // Per-shard halts differ; only a race won everywhere excuses its cancellations.
        haltKind: mergedHaltKind(ordered),
        merged: {
            files: files.length,
            shards: first?.total ?? null,
            missingShards,
            problems: [...splitProblems, ...refused, ...problems]
        }
    };
}
/** The report of files that are not one run's: nothing merged, every item without a result. */
function nothingMerged(files, ordered, problems) {
    const first = ordered[0]?.report.shard;
    // Outputs and summary still say why: every item is without a result.
    return {
        records: [],
        counts: { ...countStatuses([]), total: first?.itemCount ?? 0 },
        durationMs: 0,
        workers: 0,
        shell: ordered[0]?.report.shell ?? '',
        haltReason: null,
        haltKind: null,
        merged: { files: files.length, shards: first?.total ?? null, missingShards: [], problems }
    };
}
/**
 * The records the files can give, in input order, each file's worker slots after the previous
 * files' (`renumber`: unsharded runs of different item lists, numbered one after another), and
 * the problems of each file's records, then those a merge's own file carries.
 */
function mergeRecords(ordered, renumber) {
    const problems = [];
    const records = [];
    let slotOffset = 0;
    for (const file of ordered) {
        const checked = checkRecords(file);
        problems.push(...checked.problems, ...(file.report.merged?.problems ?? []));
        for (const record of checked.records) {
            records.push({ ...record, slot: record.slot === null ? null : record.slot + slotOffset });
        }
        slotOffset += file.report.workers;
    }
    records.sort((a, b) => a.index - b.index);
    if (renumber)
        records.forEach((record, index) => (record.index = index));
    return { records, problems };
}
/** The shards of the split no file came from, in order. */
function missingShardIndexes(files, first) {
    const seen = new Set(files.map(file => file.report.shard?.index));
    return Array.from({ length: first.total }, (_, index) => index).filter(index => !seen.has(index));
}
/** Every halted file's reason, each shard's named, or null when none halted. */
function mergedHaltReason(files) {
    const halts = files
        .filter(file => file.report.haltReason !== null)
        .map(file => (file.report.shard ? `shard ${file.report.shard.index}/${file.report.shard.total}: ` : '') +
        file.report.haltReason);
    return halts.length > 0 ? halts.join('; ') : null;
}
/** Why shards have no result: no results file (or none valid) came from them. */
function missingShardsProblem(present, first, missing, someRefused) {
    const lost = first.itemCount - present.reduce((sum, file) => sum + (file.report.shard?.items.length ?? 0), 0);
    return (`${missing.length} of ${first.total} shards have no ${someRefused ? 'valid ' : ''}results file ` +
        `(${missing.map(index => `${index}/${first.total}`).join(', ')}): ` +
        `their ${lost} ${lost === 1 ? 'item has' : 'items have'} no result here. Re-run those shards.`);
}
/**
 * The halt kind all halted files share, else none. A file's halt excuses only its own
 * cancellations: a file with cancelled records and no halt of its own leaves the merge without
 * one, so a race won in another file cannot excuse them.
 */
function mergedHaltKind(files) {
    const unexplained = files.some(file => file.report.haltReason === null &&
        file.report.records.some(record => record.status === TaskStatus.Cancelled));
    const halted = files.filter(file => file.report.haltReason !== null);
    const kinds = new Set(halted.map(file => file.report.haltKind));
    return kinds.size === 1 && !unexplained ? (halted[0]?.report.haltKind ?? null) : null;
}
/** The log line that says what was merged. */
function describeMerge(report) {
    const merged = report.merged;
    const from = merged.shards === null ? '' : ` of ${merged.shards} shards`;
    return `Merged ${merged.files} results files${from}: ${report.counts.total} results.`;
}
/** How many problems the step's failure message names before pointing to the summary. */
const PROBLEMS_IN_MESSAGE = 5;
/**
 * Why a merge is incomplete or not to be trusted, or undefined: shards without a results file,
 * invalid files and records that do not match the split leave items without a result.
 */
function mergeProblemsMessage(report) {
    const problems = report.merged?.problems ?? [];
    if (problems.length === 0)
        return undefined;
    const more = problems.length - PROBLEMS_IN_MESSAGE;
    return (problems.slice(0, PROBLEMS_IN_MESSAGE).join(' ') +
        (more > 0
            ? ` And ${more} more ${more === 1 ? 'problem' : 'problems'}: see the job summary.`
            : ''));
}

;// CONCATENATED MODULE: ./src/model/task-record.ts

/** True for the statuses that fail the step. */
function isUnsuccessful(status) {
    return (status === TaskStatus.Failure ||
        status === TaskStatus.TimedOut ||
        status === TaskStatus.Cancelled);
}

;// CONCATENATED MODULE: ./src/report/results.ts

/** One record as the `results` output shows it. */
function publicResult(record) {
    return {
        index: record.index,
        item: record.item,
        status: record.status,
        exitCode: record.exitCode,
        signal: record.signal,
        durationMs: record.durationMs,
        attempts: record.attempts,
        command: record.command,
        outputs: record.outputs,
        needs: record.needs,
        resolve: record.resolve
    };
}
/**
 * A JSON array of as many of `values` as fit in `maxBytes`, in order, and whether any were left
 * out. GitHub keeps at most 1 MB of outputs per job, so a large run's lists must be cut.
 */
function jsonArrayWithin(values, maxBytes) {
    const parts = [];
    let bytes = 2;
    for (const value of values) {
        const part = JSON.stringify(value);
        bytes += Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
        if (bytes > maxBytes)
            return { json: `[${parts.join(',')}]`, truncated: true };
        parts.push(part);
    }
    return { json: `[${parts.join(',')}]`, truncated: false };
}
/** The items whose task failed, timed out or was cancelled, ready to feed back as `items`. */
function failedItems(records) {
    return records.filter(record => isUnsuccessful(record.status)).map(record => record.item);
}
/** How resolving review threads went; undefined when no thread was to be resolved. */
function describeResolves(records) {
    const outcomes = records.flatMap(record => (record.resolve ? [record.resolve] : []));
    if (outcomes.length === 0)
        return undefined;
    const failed = outcomes.filter(outcome => !outcome.resolved);
    return (`Resolved ${outcomes.length - failed.length} of ${outcomes.length} review threads whose task succeeded` +
        (failed.length === 0 ? '.' : `; ${failed.length} could not be resolved: ${failed[0]?.error}`));
}
/** Sum of task times over wall time: how much faster than running the tasks one by one. */
function speedUp(report) {
    const busy = report.records.reduce((sum, record) => sum + record.durationMs, 0);
    return report.durationMs > 0 ? busy / report.durationMs : 0;
}

;// CONCATENATED MODULE: ./src/report/budgeted-markdown.ts
/**
 * Markdown made of parts joined by line breaks, where sections append entries while they fit a
 * byte budget and say how many they left out. Only fixed parts and entries are counted against
 * the budget (each with its line break); wrappers and notes are small and live in the room the
 * limits keep. An entry that does not fit ends its section and its bytes stay counted, so the
 * sections after it are measured as if it were there.
 */
class BudgetedMarkdown {
    parts = [];
    spent = 0;
    /** Appends parts that are always shown, counted against the budget. */
    add(...parts) {
        for (const part of parts)
            this.spent += Buffer.byteLength(part) + 1;
        this.parts.push(...parts);
    }
    /** Appends as many of the section's entries as fit, then its note on those left out. */
    section(section) {
        const kept = [];
        for (const entry of section.entries.slice(0, section.max)) {
            const text = section.render(entry);
            this.spent += Buffer.byteLength(text) + 1;
            if (this.spent > section.limit)
                break;
            kept.push(text);
        }
        if (section.wrap !== undefined)
            this.parts.push(section.wrap(kept));
        else if (kept.length > 0) {
            if (section.heading !== undefined)
                this.parts.push(section.heading);
            this.parts.push(...kept);
        }
        const leftOut = section.entries.length - kept.length;
        if (leftOut > 0 && section.leftOut !== undefined)
            this.parts.push(section.leftOut(leftOut));
    }
    /** The Markdown written so far. */
    text() {
        return this.parts.join('\n');
    }
}

;// CONCATENATED MODULE: ./src/report/markdown-escape.ts
/**
 * Escapes text for a Markdown paragraph or heading: HTML-escaped, and Markdown's punctuation
 * backslash-escaped, so an item cannot become a link, an image (a tracking pixel) or emphasis.
 */
function escapeMarkdown(text) {
    return escapeHtml(text).replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&');
}
/** Escapes text for HTML (and so for Markdown inside HTML blocks). */
function escapeHtml(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}

;// CONCATENATED MODULE: ./src/report/mermaid-chart.ts
/**
 * Longest chart text we emit: Mermaid draws an error instead of a diagram longer than its
 * `maxTextSize`, so entries are left out (and counted as omitted) until the text fits.
 */
const MAX_CHART_TEXT = 45_000;
/** The limits given, whole and not negative, with defaults for those missing or not finite. */
function resolveLimits(limits, defaults) {
    const count = (value, fallback) => value !== undefined && Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback;
    return {
        maxEntries: count(limits?.maxEntries, defaults.maxEntries),
        maxLabel: Math.max(1, count(limits?.maxLabel, defaults.maxLabel))
    };
}

;// CONCATENATED MODULE: ./src/report/mermaid-label.ts
/**
 * Labels for Mermaid charts. Untrusted text (items, task names) is written with every character
 * that could mean something to Mermaid, or to the Markdown around it, as Mermaid's entity code
 * `#<decimal code point>;`, so a label can never end itself, add a statement, a directive or a
 * link, or end the fenced block. docs/decisions/010-job-summary.md says why each of them is escaped.
 */

/** Longest label, in characters, when the limits give none. */
const DEFAULT_MAX_LABEL = 60;
/** ASCII written as it is, except as a label's first character (keywords and list markers start lines). */
const RAW_ASCII = /^[A-Za-z0-9 .\-/()'+=!?]$/;
/** Letters, marks, numbers, symbols and punctuation outside ASCII are written as they are. */
const RAW_OTHER = /^[\p{L}\p{M}\p{N}\p{S}\p{P}]$/u;
/** Mermaid's entity placeholders are built from these, so text must never spell one. */
const PLACEHOLDER_CHARS = new Set(['\ufb02', '\u00b6']);
/**
 * The text a label shows: on one line (control characters as visible symbols, as itemLabel
 * does), lone surrogate halves as U+FFFD, a word joiner inside `ﬂ°` and `¶ß`, cut to `maxLabel`
 * characters; an empty text as one space.
 */
function labelText(text, maxLabel) {
    const visible = text
        .replace(/\r\n/g, '\n')
        // C0 and C1 controls, DEL, and the two Unicode line separators.
        // eslint-disable-next-line no-control-regex
        .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ch => ch === '\n' || ch === '\u2028' || ch === '\u2029' ? '⏎' : ch === '\t' ? '⇥' : '�')
        .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '�')
        // Mermaid turns `ﬂ°` into `&` and `¶ß` into `;` all over the drawn SVG (its entity
        // placeholders): an invisible word joiner keeps such text as it is.
        .replace(/(?<=\ufb02)(?=\u00b0)|(?<=\u00b6)(?=\u00df)/g, '\u2060');
    // A label cannot be empty (a gantt line needs a task name): an empty one shows a space.
    return visible === '' ? ' ' : cut(visible, labelMax(maxLabel));
}
/** Untrusted text as a Mermaid label (a gantt task name, or inside a quoted flowchart label) that shows labelText(text, maxLabel). */
function mermaidLabel(text, maxLabel) {
    return escapeLabelText(labelText(text, maxLabel));
}
/** A label followed by our own note in brackets (escaped too, so a `:` is never raw). */
function withNote(label, note) {
    return note === '' ? label : `${label} ${escapeLabelText(`(${note})`, false)}`;
}
/** The longest label as a whole number of at least 1; the default when not finite. */
function labelMax(maxLabel) {
    return Number.isFinite(maxLabel) ? Math.max(1, Math.floor(maxLabel)) : DEFAULT_MAX_LABEL;
}
/**
 * Escapes text that labelText already made (no cutting, no control characters left to show).
 * `atStart`: the text starts the label (so its first character is escaped if ASCII).
 */
function escapeLabelText(text, atStart = true) {
    const chars = Array.from(text);
    const last = chars.length - 1;
    const escaped = chars
        .map((ch, i) => {
        const raw = ch.length === 1 && ch < '\u0080'
            ? (i !== 0 || !atStart) && RAW_ASCII.test(ch) && !(ch === ' ' && (i === 0 || i === last))
            : RAW_OTHER.test(ch) && !PLACEHOLDER_CHARS.has(ch);
        return raw ? ch : `#${ch.codePointAt(0)};`;
    })
        .join('');
    // Letters and dots are only ever raw here (entity codes are `#digits;`), so these find the words:
    // flowchart's `direction TB` rule would swallow the line, and `www.` would become a link.
    return escaped
        .replace(/d(?=irection)/gi, ch => `#${ch.codePointAt(0)};`)
        .replace(/(?<=www)\./gi, '#46;');
}

;// CONCATENATED MODULE: ./src/report/mermaid-flowchart.ts



const DEFAULT_FLOWCHART_LIMITS = {
    maxEntries: 100,
    maxLabel: DEFAULT_MAX_LABEL
};
/** Mermaid's flowchart parser throws past this many edges (its `maxEdges` default). */
const MAX_FLOWCHART_EDGES = 500;
const HEADER = 'flowchart LR';
/** classDef per status: fill, border and text colour, so labels stay readable in dark mode too. */
const FLOW_CLASS = {
    [TaskStatus.Success]: {
        name: 'success',
        style: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
        note: ''
    },
    [TaskStatus.Failure]: {
        name: 'failure',
        style: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-width:2px',
        note: 'failed'
    },
    [TaskStatus.TimedOut]: {
        name: 'timedOut',
        style: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328,stroke-width:2px',
        note: 'timed out'
    },
    [TaskStatus.Cancelled]: {
        name: 'cancelled',
        style: 'fill:#eaeef2,stroke:#57606a,color:#1f2328',
        note: 'cancelled'
    },
    [TaskStatus.Skipped]: {
        name: 'skipped',
        style: 'fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3',
        note: 'skipped'
    }
};
/** Which nodes are kept first when there are too many. */
const FLOW_RANK = {
    [TaskStatus.Failure]: 0,
    [TaskStatus.TimedOut]: 0,
    [TaskStatus.Skipped]: 1,
    [TaskStatus.Cancelled]: 2,
    [TaskStatus.Success]: 3
};
/**
 * A Mermaid flowchart (left to right) of a dependency graph: one node per entry, edges from each
 * need to its dependent, each node coloured by status (a classDef per status) and, unless it
 * succeeded, labelled with its status (and why it was skipped). Node ids are
 * `n<index>`, the index into `nodes`, never derived from names. A need names the first node of
 * that name; a need naming no node draws no edge, and so does a need on a node left out. Past `maxEntries` nodes, {@link MAX_FLOWCHART_EDGES}
 * edges or {@link MAX_CHART_TEXT}, failures are kept first (then skipped, cancelled, succeeded
 * nodes, each in input order), and the nodes left out are counted in `omitted`.
 */
function dependencyFlowchart(nodes, limits) {
    const { maxEntries, maxLabel } = resolveLimits(limits, DEFAULT_FLOWCHART_LIMITS);
    const edges = graphEdges(nodes);
    const kept = keepNodes(nodes, edges, maxEntries, maxLabel);
    return { text: flowchartText(nodes, edges, kept), omitted: nodes.length - kept.size };
}
/** The edges of the graph; a need names the first node of that name, and a node never needs itself. */
function graphEdges(nodes) {
    const indexByName = new Map();
    nodes.forEach((node, index) => {
        if (!indexByName.has(node.name))
            indexByName.set(node.name, index);
    });
    const needsOf = nodes.map((node, index) => {
        const from = new Set();
        for (const need of node.needs) {
            const needIndex = indexByName.get(need);
            if (needIndex !== undefined && needIndex !== index)
                from.add(needIndex);
        }
        return [...from];
    });
    const dependentsOf = nodes.map(() => []);
    needsOf.forEach((from, to) => from.forEach(f => dependentsOf[f]?.push(to)));
    return { needsOf, dependentsOf };
}
/** The nodes drawn, by rank, while the entry, edge and text limits allow, with each one's line. */
function keepNodes(nodes, { needsOf, dependentsOf }, maxEntries, maxLabel) {
    const ranked = nodes
        .map((node, index) => ({ node, index }))
        .sort((a, b) => FLOW_RANK[a.node.status] - FLOW_RANK[b.node.status] || a.index - b.index);
    const kept = new Map();
    let edges = 0;
    // Budget: header, class definitions (at most one per status) and `class` lines' fixed parts.
    let length = HEADER.length +
        Object.values(FLOW_CLASS).reduce((sum, c) => sum + c.name.length * 2 + c.style.length + 24, 0);
    for (const { node, index } of ranked) {
        if (kept.size >= maxEntries)
            break;
        const line = `  n${index}["${nodeLabel(node, maxLabel)}"]`;
        // Edges between this node and those already kept: needs first, then dependents.
        const linked = [
            ...(needsOf[index] ?? []).filter(from => kept.has(from)).map(from => [from, index]),
            ...(dependentsOf[index] ?? []).filter(to => kept.has(to)).map(to => [index, to])
        ];
        const edgeLength = linked.reduce((sum, [from, to]) => sum + `  n${from} --> n${to}\n`.length, 0);
        const cost = line.length + 1 + `n${index},`.length + edgeLength;
        if (edges + linked.length > MAX_FLOWCHART_EDGES || length + cost > MAX_CHART_TEXT)
            continue;
        kept.set(index, line);
        edges += linked.length;
        length += cost;
    }
    return kept;
}
/** The chart's text: kept nodes in input order, their edges, then one class per status present. */
function flowchartText(nodes, { needsOf }, kept) {
    const order = [...kept.keys()].sort((a, b) => a - b);
    const lines = [HEADER];
    for (const index of order)
        lines.push(kept.get(index));
    for (const to of order) {
        for (const from of needsOf[to] ?? [])
            if (kept.has(from))
                lines.push(`  n${from} --> n${to}`);
    }
    for (const status of Object.values(TaskStatus)) {
        const ids = order.filter(index => nodes[index]?.status === status).map(index => `n${index}`);
        if (ids.length === 0)
            continue;
        const { name, style } = FLOW_CLASS[status];
        lines.push(`  classDef ${name} ${style}`);
        lines.push(`  class ${ids.join(',')} ${name}`);
    }
    return lines.join('\n');
}
/**
 * A node's label: its name and, unless it succeeded, its status (and why it was skipped), on one
 * line. Not on two with `<br>`: a label with a `<` goes through DOMPurify, whose HTML round trip
 * turns the entity codes back into characters before Mermaid applies Markdown and icons to it.
 */
function nodeLabel(node, maxLabel) {
    const name = mermaidLabel(node.name, maxLabel);
    const { note } = FLOW_CLASS[node.status];
    if (node.status === TaskStatus.Skipped && node.reason !== undefined && node.reason !== '') {
        const reason = mermaidLabel(node.reason, maxLabel);
        return `${name} ${escapeLabelText(`(${note}:`, false)} ${reason}${escapeLabelText(')', false)}`;
    }
    return withNote(name, note);
}

;// CONCATENATED MODULE: ./src/report/mermaid-gantt.ts



const DEFAULT_GANTT_LIMITS = { maxEntries: 200, maxLabel: DEFAULT_MAX_LABEL };
/**
 * Chooses the axis for a run `spanMs` long. Mermaid formats ticks in the viewer's time zone, and
 * only `%Q` (epoch ms) and `%s` (epoch seconds) are free of it, so longer runs scale their
 * timestamps (1 real minute is 1 chart second under `%s min`). The tick interval is set so ticks
 * land on whole units.
 */
function chooseAxis(spanMs) {
    const pick = (span, steps) => steps.find(step => span / step <= 10);
    if (spanMs < 5_000) {
        const step = pick(spanMs, [1, 2, 5, 10, 20, 50, 100, 200, 250, 500]);
        return { format: '%Q ms', divisor: 1, tick: `${step ?? 500}millisecond` };
    }
    const [unit, divisor] = spanMs < 300_000 ? ['s', 1] : spanMs < 5 * 3_600_000 ? ['min', 60] : ['h', 3600];
    const step = pick(spanMs / divisor / 1000, [1, 2, 5, 10, 15, 20, 30]);
    return { format: `%s ${unit}`, divisor, tick: step === undefined ? undefined : `${step}second` };
}
/**
 * Gantt tags per status (Mermaid has only `active`, `done`, `crit` and `milestone`), in the order
 * of Mermaid's tag list, and the text added to the label so the status does not rest on colour.
 */
const GANTT_STATUS = {
    [TaskStatus.Success]: { tags: [], note: '' },
    [TaskStatus.Failure]: { tags: ['crit'], note: 'failed' },
    [TaskStatus.TimedOut]: { tags: ['active', 'crit'], note: 'timed out' },
    [TaskStatus.Cancelled]: { tags: ['done'], note: 'cancelled' },
    [TaskStatus.Skipped]: { tags: [], note: '' }
};
/** A time in ms as a finite, non-negative number. */
const time = (ms) => (Number.isFinite(ms) && ms > 0 ? ms : 0);
const isFailure = (status) => status === TaskStatus.Failure || status === TaskStatus.TimedOut;
/**
 * A Mermaid gantt chart with one section per worker slot showing which task ran when (in compact
 * mode, so a slot's tasks share a row); failures marked `crit`, timed-out tasks `active, crit`,
 * cancelled ones `done`, and each non-success labelled with its status. Skipped tasks (they never
 * ran) are not drawn and not counted in `omitted`. Past `maxEntries` bars, or past
 * {@link MAX_CHART_TEXT}, the most interesting are kept (failures first, then the longest) and
 * the rest counted in `omitted`. Tasks that take no time on the chart's scale are drawn as
 * milestones (a diamond), since a bar of no width would not show. Task ids are `t<index>`,
 * the index into `tasks`.
 */
function ganttChart(tasks, limits) {
    const { maxEntries, maxLabel } = resolveLimits(limits, DEFAULT_GANTT_LIMITS);
    const bars = tasks.flatMap((task, index) => bar(task, index, maxLabel));
    const ranked = [...bars].sort((a, b) => Number(isFailure(b.status)) - Number(isFailure(a.status)) ||
        b.end - b.start - (a.end - a.start) ||
        a.index - b.index);
    let kept = ranked.slice(0, maxEntries);
    let text = ganttText(kept);
    while (text.length > MAX_CHART_TEXT && kept.length > 0) {
        // Drop about as many of the least interesting bars as the overflow takes, at least one.
        const perBar = text.length / kept.length;
        const drop = Math.max(1, Math.ceil((text.length - MAX_CHART_TEXT) / perBar));
        kept = kept.slice(0, Math.max(0, kept.length - drop));
        text = ganttText(kept);
    }
    return { text, omitted: bars.length - kept.length };
}
/** The bar a task draws, if it ran: none for a skipped task. */
function bar(task, index, maxLabel) {
    if (task.status === TaskStatus.Skipped)
        return [];
    const start = time(task.startMs);
    const slot = Number.isFinite(task.slot) ? Math.max(1, Math.floor(task.slot)) : 1;
    const label = withNote(mermaidLabel(task.label, maxLabel), GANTT_STATUS[task.status].note);
    return [
        { index, slot, start, end: Math.max(start, time(task.endMs)), status: task.status, label }
    ];
}
/** The chart's text for the bars kept. */
function ganttText(bars) {
    const span = bars.reduce((max, bar) => Math.max(max, bar.end), 0);
    const axis = chooseAxis(span);
    const lines = [
        '---',
        // Compact mode: tasks of one section that do not overlap share a row, one row per slot.
        'displayMode: compact',
        '---',
        'gantt',
        '  dateFormat x',
        `  axisFormat ${axis.format}`
    ];
    if (axis.tick !== undefined)
        lines.push(`  tickInterval ${axis.tick}`);
    // The chart's dates are in 1970: a line at today's date would only stretch the axis.
    lines.push('  todayMarker off');
    const slots = [...new Set(bars.map(bar => bar.slot))].sort((a, b) => a - b);
    for (const slot of slots) {
        lines.push(`  section Slot ${slot}`);
        const inSlot = bars
            .filter(bar => bar.slot === slot)
            .sort((a, b) => a.start - b.start || a.index - b.index);
        for (const bar of inSlot)
            lines.push(barLine(bar, axis));
    }
    return lines.join('\n');
}
/** One bar's line: its label, tags, id, start and end on the chart's scale. */
function barLine(bar, axis) {
    const start = Math.round(bar.start / axis.divisor);
    const end = Math.round(bar.end / axis.divisor);
    const tags = [...GANTT_STATUS[bar.status].tags];
    if (end === start)
        tags.push('milestone');
    const data = [...tags, `t${bar.index}`, String(start), String(end)].join(', ');
    return `    ${bar.label} :${data}`;
}

;// CONCATENATED MODULE: ./src/report/summary-charts.ts





/** Runs with at most this many tasks show their charts open; larger ones collapse them. */
const OPEN_CHARTS_UP_TO = 20;
/**
 * The run as pictures: a timeline of which task ran when on which worker, and for named tasks a
 * graph of their needs coloured by status. GitHub renders Mermaid blocks in job summaries.
 */
function summaryCharts(report) {
    const open = report.records.length <= OPEN_CHARTS_UP_TO ? ' open' : '';
    const blocks = [];
    const timeline = timelineBlock(report, open);
    if (timeline !== undefined)
        blocks.push(timeline);
    if (report.records.some(record => record.needs !== undefined)) {
        blocks.push(graphBlock(report.records, open));
    }
    return blocks;
}
/** The timeline of the tasks that ran, if any did. */
function timelineBlock(report, open) {
    const ran = report.records.filter(record => record.startedAt !== null && record.endedAt !== null);
    if (ran.length === 0)
        return undefined;
    const origin = Math.min(...ran.map(record => record.startedAt));
    const gantt = ganttChart(ran.map(record => ({
        label: itemLabel(record.item, 200),
        slot: record.slot ?? 1,
        startMs: record.startedAt - origin,
        endMs: record.endedAt - origin,
        status: record.status
    })));
    const note = gantt.omitted > 0 ? `, ${gantt.omitted} more not drawn` : '';
    const title = `Timeline: ${ran.length} tasks on ${report.workers} workers${note}`;
    return mermaidBlock(title, gantt.text, open);
}
/** The graph of the named tasks' needs. */
function graphBlock(records, open) {
    const graph = dependencyFlowchart(records.map(record => ({
        // Needs name tasks exactly, so the node names must be the exact task names.
        name: itemText(record.item),
        needs: record.needs ?? [],
        status: record.status,
        reason: record.skipReason
    })));
    const note = graph.omitted > 0 ? `, ${graph.omitted} more not drawn` : '';
    return mermaidBlock(`Task graph${note}`, graph.text, open);
}
/** A collapsible block with a Mermaid chart in it. */
function mermaidBlock(title, chart, open) {
    return `<details${open}><summary>${escapeHtml(title)}</summary>\n\n\`\`\`mermaid\n${chart}\n\`\`\`\n\n</details>\n`;
}

;// CONCATENATED MODULE: ./src/report/summary-head.ts





/** Most problems of a merge listed in the summary. */
const MAX_MERGE_PROBLEMS = 20;
/** Most retried tasks named in the summary. */
const MAX_RETRIED_NAMED = 10;
/** The summary's opening parts: outcome, counts, timing, where the results came from, notes. */
function summaryHead(report) {
    const { counts } = report;
    // Items a merge has no record for (missing shards, refused records) count against the run.
    const missing = counts.total - report.records.length;
    const failedCount = counts.failed + counts.timedOut + counts.cancelled + missing;
    // A merge's problems fail the step even when no item is left without a result.
    const failing = failedCount > 0 || (report.merged?.problems.length ?? 0) > 0;
    const mark = STATUS_MARK[failing ? TaskStatus.Failure : TaskStatus.Success];
    const tally = [
        `**${counts.succeeded}** succeeded`,
        `**${counts.failed}** failed`,
        `**${counts.timedOut}** timed out`,
        `**${counts.cancelled}** cancelled`,
        `**${counts.skipped}** skipped`,
        ...(missing > 0 ? [`**${missing}** without a result`] : [])
    ].join(' · ');
    const parts = [
        `## ${mark} parallel-exec: ${counts.succeeded} of ${counts.total} succeeded\n`,
        `${tally}\n`,
        `Wall time **${formatDuration(report.durationMs)}** on **${report.workers}** workers (${report.shell}); ` +
            `speed-up over running one by one: **${speedUp(report).toFixed(1)}×**.\n`
    ];
    const origin = describeOrigin(report);
    if (origin !== '')
        parts.push(`${origin}\n`);
    if (report.haltReason !== null) {
        parts.push(`> [!WARNING]\n> Halted early: ${escapeMarkdown(report.haltReason)}.\n`);
    }
    const resolves = describeResolves(report.records);
    if (resolves !== undefined)
        parts.push(`🧵 ${escapeMarkdown(resolves)}\n`);
    const retries = describeRetries(report);
    if (retries !== undefined)
        parts.push(retries);
    return parts;
}
/** Which tasks needed more than one attempt; undefined when none did. */
function describeRetries(report) {
    const retried = report.records.filter(record => record.attempts > 1);
    if (retried.length === 0)
        return undefined;
    const named = retried
        .slice(0, MAX_RETRIED_NAMED)
        .map(record => `${escapeMarkdown(itemLabel(record.item, 60))} (${record.attempts} attempts)`);
    const more = retried.length > named.length ? `, and ${retried.length - named.length} more` : '';
    const count = `${retried.length} ${retried.length === 1 ? 'task needed' : 'tasks needed'}`;
    return `🔁 ${count} retries: ${named.join(', ')}${more}.\n`;
}
/** Which shard this is, or which shards were merged and what was wrong with them; '' for a plain run. */
function describeOrigin(report) {
    const { shard, merged } = report;
    if (shard !== undefined) {
        const balance = shard.byTimings
            ? `, balanced by timings (about ${formatDuration(shard.estimatedMs)} of ${formatDuration(shard.estimatedTotalMs)})`
            : '';
        return `Shard **${shard.index}/${shard.total}** ran **${report.counts.total}** of **${shard.itemCount}** items${balance}.`;
    }
    if (merged === undefined)
        return '';
    const from = merged.shards === null
        ? `${merged.files} results files`
        : `${merged.files} of ${merged.shards} shards`;
    const shown = merged.problems.slice(0, MAX_MERGE_PROBLEMS);
    const more = merged.problems.length - shown.length;
    const problems = shown.length === 0
        ? ''
        : '\n\n> [!CAUTION]\n' +
            shown.map(problem => `> - ${escapeMarkdown(problem)}\n`).join('') +
            (more > 0 ? `> - and ${more} more, each in the \`results-file\` output\n` : '');
    return `Merged from ${from}; wall time is the slowest shard's, workers are summed.${problems}`;
}

;// CONCATENATED MODULE: ./src/report/summary.ts








const DEFAULT_SUMMARY_LIMITS = {
    maxRows: 500,
    maxTails: 20,
    maxTailChars: 4000,
    maxBytes: 512 * 1024
};
/** Share of maxBytes the task table may take, so failure tails keep room. */
const TABLE_SHARE = 0.5;
/** Share of maxBytes the table and the charts together may take. */
const CHARTS_SHARE = 0.7;
/** Bytes kept free at the end for the notes on what was left out. */
const CLOSING_ROOM = 1024;
/** Order of the table when failures come first: the statuses that need attention lead. */
const STATUS_RANK = {
    [TaskStatus.Failure]: 0,
    [TaskStatus.TimedOut]: 1,
    [TaskStatus.Cancelled]: 2,
    [TaskStatus.Skipped]: 3,
    [TaskStatus.Success]: 4
};
/** Tables longer than this list failures first, so they are not lost among successes. */
const FAILURES_FIRST_FROM = 20;
/**
 * The job summary as Markdown with HTML blocks. Everything that came from items or task output
 * is HTML-escaped and kept on one line where a line break would end an HTML block.
 */
function buildSummary(report, limits = DEFAULT_SUMMARY_LIMITS) {
    const summary = new BudgetedMarkdown();
    summary.add(...summaryHead(report));
    summary.section({
        entries: tableOrder(report.records),
        max: limits.maxRows,
        render: tableRow,
        limit: limits.maxBytes * TABLE_SHARE,
        wrap: taskTable,
        leftOut: count => `\n_${count} more tasks not shown; every result is in the \`results-file\` output._\n`
    });
    summary.section({
        entries: summaryCharts(report),
        render: chart => chart,
        limit: limits.maxBytes * CHARTS_SHARE
    });
    summary.section({
        entries: report.records.filter(record => isUnsuccessful(record.status)),
        max: limits.maxTails,
        render: record => tailBlock(record, limits.maxTailChars),
        limit: limits.maxBytes - CLOSING_ROOM,
        heading: '\n### Output of failed tasks\n',
        leftOut: count => `\n_Output of ${count} more failed tasks not shown._\n`
    });
    // What tasks wrote to their own GITHUB_STEP_SUMMARY, each under its own heading.
    summary.section({
        entries: report.records.filter(record => record.summary.trim() !== ''),
        render: taskSummaryBlock,
        limit: limits.maxBytes - CLOSING_ROOM,
        heading: '\n## Task summaries\n',
        leftOut: count => `\n_${count} more task summaries left out to stay within the size limit; ` +
            'each is in the `results-file` output._\n'
    });
    return summary.text();
}
/** The records in table order: input order, or failures first in long tables. */
function tableOrder(records) {
    const rows = [...records];
    if (rows.length > FAILURES_FIRST_FROM) {
        rows.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || a.index - b.index);
    }
    return rows;
}
/** The task table around its rows. */
function taskTable(rows) {
    const head = '<tr><th>#</th><th>Status</th><th>Item</th><th>Exit code</th><th>Duration</th><th>Attempts</th></tr>';
    return `<table>${head}\n${rows.join('\n')}\n</table>\n`;
}
/** One task's row of the table, on one line. */
function tableRow(record) {
    const duration = record.status === TaskStatus.Skipped ? '' : formatDuration(record.durationMs);
    return (`<tr><td>${record.index + 1}</td><td>${statusLabel(record.status)}</td>` +
        `<td><code>${escapeHtml(itemLabel(record.item, 120))}</code></td>` +
        `<td>${exitCell(record)}</td><td>${duration}</td><td>${record.attempts}</td></tr>`);
}
/** The exit code, with the signal that ended the process if one did. */
function exitCell(record) {
    if (record.exitCode === null)
        return '';
    return record.signal === null ? String(record.exitCode) : `${record.exitCode} (${record.signal})`;
}
/** A failed task's error and the end of its output, collapsed under its status and item. */
function tailBlock(record, maxChars) {
    let tail = record.outputTail;
    if (tail.length > maxChars)
        tail = '…' + tail.slice(tail.length - maxChars);
    const error = record.error === null ? '' : escapeHtml(record.error) + '\n';
    const body = error + escapeHtml(tail);
    return (`<details><summary>${statusLabel(record.status)}: <code>${escapeHtml(itemLabel(record.item, 120))}</code></summary>\n\n` +
        `<pre>${body.length > 0 ? body : '(no output)'}</pre>\n\n</details>\n`);
}
/** What a task wrote to its own step summary, under a heading naming it. */
function taskSummaryBlock(record) {
    const heading = `### ${record.index + 1}\\. ${escapeMarkdown(itemLabel(record.item, 120))}`;
    return `\n${heading}\n\n${record.summary.trimEnd()}\n`;
}

;// CONCATENATED MODULE: ./src/report/outputs.ts









/** GitHub keeps 10 annotations of a type per step: 9 for tasks, 1 for the step's failure. */
const MAX_TASK_ANNOTATIONS = 9;
/** GitHub cuts annotation messages at 4,096 characters. */
const MAX_ANNOTATION_CHARS = 4000;
/** Share of GitHub's 1 MB of outputs per job that `results` and `failed-items` may take. */
const RESULTS_MAX_BYTES = 512 * 1024;
const FAILED_ITEMS_MAX_BYTES = 256 * 1024;
/** Sets every output declared in action.yml. */
function setOutputs(report, resultsFile) {
    const { counts } = report;
    setOutput(Outputs.Total, counts.total);
    setOutput(Outputs.Succeeded, counts.succeeded);
    setOutput(Outputs.Failed, counts.failed);
    setOutput(Outputs.TimedOut, counts.timedOut);
    setOutput(Outputs.Cancelled, counts.cancelled);
    setOutput(Outputs.Skipped, counts.skipped);
    const results = jsonArrayWithin(report.records.map(publicResult), RESULTS_MAX_BYTES);
    const failed = jsonArrayWithin(failedItems(report.records), FAILED_ITEMS_MAX_BYTES);
    setOutput(Outputs.Results, results.json);
    setOutput(Outputs.FailedItems, failed.json);
    setOutput(Outputs.ResultsTruncated, results.truncated || failed.truncated);
    if (results.truncated || failed.truncated) {
        const cut = [results.truncated ? 'results' : '', failed.truncated ? 'failed-items' : '']
            .filter(Boolean)
            .join(' and ');
        warning(`The ${cut} output was cut to stay within GitHub's output size limit; ` +
            `results-file has everything: ${resultsFile}`);
    }
    setOutput(Outputs.ResultsFile, resultsFile);
    setOutput(Outputs.DurationMs, report.durationMs);
}
/** One error annotation per unsuccessful task, at most MAX_TASK_ANNOTATIONS. */
function annotateFailures(report) {
    const failures = report.records.filter(record => isUnsuccessful(record.status));
    for (const record of failures.slice(0, MAX_TASK_ANNOTATIONS)) {
        const tail = record.outputTail.trimEnd();
        const detail = [record.error, tail].filter(Boolean).join('\n');
        const headline = `Task ${record.index + 1} ${record.status}` +
            (record.exitCode !== null ? ` with exit code ${record.exitCode}` : '') +
            (record.signal !== null ? ` (${record.signal})` : '');
        const message = detail === '' ? headline : `${headline}:\n${tailCut(detail, MAX_ANNOTATION_CHARS)}`;
        error(message, { title: itemLabel(record.item, 200) });
    }
}
/**
 * The step's failure message: counts, the first few items, and how many were not annotated; or
 * undefined when the step succeeds. Tasks cancelled because enough others succeeded
 * (stop-on-success) are the point of that option, not a failure. Items the counts hold without a
 * result (a merge's missing shards or records) fail the step whatever else the report says.
 */
function failureMessage(report) {
    const raceWon = report.haltKind === HaltKind.Successes;
    const failures = report.records.filter(record => isUnsuccessful(record.status) && !(raceWon && record.status === TaskStatus.Cancelled));
    const { counts } = report;
    const withResult = counts.succeeded + counts.failed + counts.timedOut + counts.cancelled + counts.skipped;
    const withoutResult = Math.max(0, counts.total - withResult);
    if (failures.length === 0 && withoutResult === 0)
        return undefined;
    const parts = [
        counts.failed > 0 ? `${counts.failed} failed` : '',
        counts.timedOut > 0 ? `${counts.timedOut} timed out` : '',
        counts.cancelled > 0 && !raceWon ? `${counts.cancelled} cancelled` : '',
        withoutResult > 0 ? `${withoutResult} without a result` : ''
    ].filter(Boolean);
    const named = failures.slice(0, 5).map(record => itemLabel(record.item, 60));
    const more = failures.length > named.length ? `, and ${failures.length - named.length} more` : '';
    const unannotated = failures.length - Math.min(failures.length, MAX_TASK_ANNOTATIONS);
    const note = unannotated > 0 ? ` (${unannotated} not annotated; see the job summary)` : '';
    const list = named.length > 0 ? `: ${named.join(', ')}${more}` : '';
    return (`${failures.length + withoutResult} of ${counts.total} tasks did not succeed ` +
        `(${parts.join(', ')})${list}.${note}`);
}
/** Writes the job summary. */
async function writeSummary(report) {
    const startedAt = monotonicMs();
    const summary = buildSummary(report);
    const ms = Math.round(monotonicMs() - startedAt);
    debug(`Summary built in ${ms} ms (${Math.ceil(Buffer.byteLength(summary) / 1024)} KiB).`);
    await actions_core_summary.addRaw(summary, true).write();
}
/** The last `max` characters of text, marked with … when cut. */
function tailCut(text, max) {
    return text.length <= max ? text : '…' + text.slice(text.length - max + 1);
}

;// CONCATENATED MODULE: ./src/report/publish.ts











/**
 * Writes to the runner's files that may fail (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY): a failure
 * becomes a problem that fails the step at the end, once everything else that can be written is.
 */
class RunnerFileProblems {
    problems = [];
    /** Runs a write; its error is kept instead of stopping the rest of the reporting. */
    async attempt(write) {
        try {
            await write();
        }
        catch (error) {
            this.problems.push(error instanceof Error ? error.message : String(error));
        }
    }
    /** Fails the step with each kept problem. */
    failStep() {
        for (const problem of this.problems)
            setFailed(problem);
    }
}
/** Writes the results, JUnit and timings files and sets every output. */
async function publishOutputs(outcome, workDirectory, files) {
    const { report } = outcome;
    const resultsFile = await writeResultsFile(workDirectory, report).catch((error) => {
        warning(`Could not write the results file: ${String(error)}`);
        return '';
    });
    // The JUnit file is the results file's: written wherever that one is.
    const junitFile = resultsFile === ''
        ? ''
        : await writeJunitFile(workDirectory, report).catch((error) => {
            warning(`Could not write the JUnit file: ${String(error)}`);
            return '';
        });
    const timingsFile = await writeTimings(workDirectory, outcome.previousTimings, report.records).catch(() => '');
    await files.attempt(() => {
        setOutputs(report, resultsFile);
        setOutput(Outputs.JunitFile, junitFile);
        setOutput(Outputs.JobLog, outcome.jobLog ?? '');
        setOutput(Outputs.Shard, report.shard ? `${report.shard.index}/${report.shard.total}` : '');
        setOutput(Outputs.TimingsFile, timingsFile);
    });
}
/** Sets the outputs of a step that failed before it had a report, so a later step sees them. */
async function publishEmptyOutputs(files) {
    await files.attempt(() => {
        setOutputs(emptyReport(''), '');
        setOutput(Outputs.JunitFile, '');
    });
}
/** Says how the step went: no items, or the summary, annotations and the message that fails it. */
async function concludeStep(outcome, options, files) {
    if (outcome.noItems !== undefined)
        return reportNoItems(options.ifNoItems, outcome.noItems);
    const { report } = outcome;
    if (options.summary)
        await files.attempt(() => writeSummary(report));
    annotateFailures(report);
    const resolves = describeResolves(report.records);
    if (resolves !== undefined)
        info(resolves);
    const unresolved = report.records.some(record => record.resolve?.resolved === false);
    // A merge's problems first: they say why items have no result.
    const failure = [mergeProblemsMessage(report), failureMessage(report), unresolved ? resolves : '']
        .filter(Boolean)
        .join(' ')
        .trim();
    if (report.haltKind === HaltKind.Cancelled) {
        setFailed(`Cancelled: ${report.haltReason}. ${failure}`.trim());
    }
    else if (failure !== '') {
        setFailed(failure);
    }
}
/** An empty run, as `if-no-items` asks: a failure, a warning or a line of the log. */
function reportNoItems(behavior, message) {
    if (behavior === NoItemsBehavior.Error)
        setFailed(message);
    else if (behavior === NoItemsBehavior.Warn)
        warning(message);
    else
        info(message);
}

;// CONCATENATED MODULE: external "node:timers/promises"
const external_node_timers_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./src/github/github-error.ts
/** What an error about the token suggests giving instead. */
const TOKEN_HINT = 'such as ${{ github.token }} (the default)';
/** An answer from GitHub that is not data: an HTTP error or GraphQL `errors`. */
class GitHubError extends Error {
    status;
    errors;
    constructor(message, status, errors = []) {
        super(message);
        this.status = status;
        this.errors = errors;
    }
    /** Whether GitHub refused for lack of permission. */
    get forbidden() {
        return (this.errors.some(e => e.type === 'FORBIDDEN') ||
            /Resource not accessible by (integration|personal access token)/.test(this.message));
    }
    /** The path of the first NOT_FOUND error, or undefined when there is none. */
    get notFoundPath() {
        const error = this.errors.find(e => e.type === 'NOT_FOUND');
        return error === undefined ? undefined : (error.path ?? []);
    }
}
/** GraphQL errors as one line: `TYPE: message; message`. */
function describeErrors(errors) {
    return errors.map(e => (e.type ? `${e.type}: ${e.message ?? ''}` : (e.message ?? ''))).join('; ');
}

;// CONCATENATED MODULE: ./src/github/attempt-outcome.ts

const RATE_LIMIT_TYPES = new Set(['RATE_LIMITED', 'RATE_LIMIT']);
const TRANSIENT_STATUSES = new Set([502, 503, 504]);
/** Sorts an answer into data or a GraphQL rate limit; throws other GraphQL errors. */
function answeredAttempt(response) {
    const body = response.data;
    const errors = Array.isArray(body?.errors) ? body.errors : [];
    if (errors.some(e => RATE_LIMIT_TYPES.has(e.type ?? '') || e.code === 'graphql_rate_limit')) {
        return { kind: 'rate-limit', headers: response.headers, message: describeErrors(errors) };
    }
    if (errors.length > 0)
        throw new GitHubError(describeErrors(errors), response.status, errors);
    return { kind: 'data', data: body?.data };
}
/** Sorts a thrown octokit error into a rate limit or a transient failure; throws the others. */
function failedAttempt(error) {
    const failure = error;
    const status = failure.status;
    const headers = failure.response?.headers ?? {};
    const data = failure.response?.data;
    const message = typeof data?.message === 'string' ? data.message : String(failure.message ?? error);
    if (isRateLimit(status, headers, message))
        return { kind: 'rate-limit', headers, message };
    if (status !== undefined && TRANSIENT_STATUSES.has(status)) {
        return {
            kind: 'transient',
            error: new GitHubError(`GitHub answered ${status}: ${message}`, status)
        };
    }
    if (status === 401) {
        throw new GitHubError(`GitHub rejected the github-token (401 ${message}). Expected a valid token, ${TOKEN_HINT}; ` +
            'a personal access token may have expired or been revoked.', status);
    }
    // Octokit reports a request that got no answer at all (network, DNS) as a 500.
    const prefix = status === undefined || status === 500 ? 'GitHub request failed' : `GitHub answered ${status}`;
    throw new GitHubError(`${prefix}: ${message}`, status);
}
/** A 429, or a 403 that says it is a rate limit (otherwise a 403 is a missing permission). */
function isRateLimit(status, headers, message) {
    return (status === 429 ||
        (status === 403 &&
            (headers['retry-after'] !== undefined ||
                String(headers['x-ratelimit-remaining']) === '0' ||
                // Older GitHub Enterprise Server words it as "abuse detection mechanism".
                /rate limit|secondary|abuse/i.test(message))));
}

;// CONCATENATED MODULE: ./src/github/pacing.ts
/** Runs at most `limit` functions at once; the others wait their turn in call order. */
class Semaphore {
    limit;
    active = 0;
    waiting = [];
    constructor(limit) {
        this.limit = limit;
    }
    /** Runs `fn` once a slot is free. */
    async run(fn) {
        if (this.active < this.limit)
            this.active++;
        else
            await new Promise(resolve => this.waiting.push(resolve));
        try {
            return await fn();
        }
        finally {
            // Hand the slot straight to the next in line, so that no newcomer can jump the queue.
            const next = this.waiting.shift();
            if (next !== undefined)
                next();
            else
                this.active--;
        }
    }
}
/** A pause every request waits out before it starts: a rate limit pauses all, not just one. */
class SharedPause {
    sleep;
    until = 0;
    constructor(sleep) {
        this.sleep = sleep;
    }
    /** Waits until the pause is over, however often it is extended meanwhile. */
    async waitOut() {
        for (let wait = this.until - Date.now(); wait > 0; wait = this.until - Date.now()) {
            await this.sleep(wait);
        }
    }
    /** Makes the pause last until `ms` from now; false when it already lasts longer. */
    extend(ms) {
        const until = Date.now() + ms;
        if (until <= this.until)
            return false;
        this.until = until;
        return true;
    }
}
/** Starts each function at least `intervalMs` after the previous one ended. */
class Spacing {
    intervalMs;
    sleep;
    lastEnd = 0;
    constructor(intervalMs, sleep) {
        this.intervalMs = intervalMs;
        this.sleep = sleep;
    }
    /** Runs `fn` once the interval since the last one is over (call one at a time). */
    async run(fn) {
        const gap = this.lastEnd + this.intervalMs - Date.now();
        if (gap > 0)
            await this.sleep(gap);
        try {
            return await fn();
        }
        finally {
            this.lastEnd = Date.now();
        }
    }
}

;// CONCATENATED MODULE: ./src/github/retry-budget.ts

/** Retries a query gets after a transient failure (502/503/504, or no answer in time). */
const TRANSIENT_RETRIES = 2;
/** One request's retries: how long to wait before the next attempt, or the error to give up with. */
class RetryBudget {
    limits;
    mutation;
    rateLimited = 0;
    transient = 0;
    constructor(limits, mutation) {
        this.limits = limits;
        this.mutation = mutation;
    }
    /** The backoff before retrying a transient failure; throws `error` when there is no retry. */
    afterTransient(error) {
        // A mutation may have been applied before the gateway gave up: a second reply would
        // post twice. Queries are safe to repeat.
        if (this.mutation || this.transient >= TRANSIENT_RETRIES)
            throw error;
        return 1000 * 2 ** this.transient++;
    }
    /** The wait before retrying a rate-limited attempt; throws when too many or too long. */
    afterRateLimit(headers, message) {
        const { maxRetries, maxWaitMs, fallbackWaitMs } = this.limits;
        const wait = rateLimitWait(headers, fallbackWaitMs * 2 ** this.rateLimited);
        this.rateLimited++;
        if (this.rateLimited > maxRetries || wait.ms > maxWaitMs) {
            const why = this.rateLimited > maxRetries
                ? `it was still hit after ${maxRetries} retries`
                : `waiting for it would take ${formatWait(wait.ms)}, more than ${formatWait(maxWaitMs)}`;
            const when = wait.resetAt === undefined
                ? 'GitHub did not say when it resets; try again in a few minutes.'
                : `It resets at ${new Date(wait.resetAt).toISOString()}.`;
            throw new Error(`GitHub's rate limit was hit (${message}) and ${why}. ${when}`);
        }
        return wait;
    }
}
/** How long to wait after a rate-limited answer, following GitHub's documented headers. */
function rateLimitWait(headers, fallbackMs) {
    const now = Date.now();
    const retryAfter = Number(headers['retry-after']);
    if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
        return { ms: retryAfter * 1000, source: 'Retry-After', resetAt: now + retryAfter * 1000 };
    }
    const reset = Number(headers['x-ratelimit-reset']);
    if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset) && reset > 0) {
        // Measured against the server's clock where it says it, since the runner's may be off.
        const serverNow = Date.parse(String(headers['date'] ?? '')) || now;
        const ms = Math.max(0, reset * 1000 - serverNow) + 1000;
        return { ms, source: 'x-ratelimit-reset', resetAt: now + ms };
    }
    return { ms: fallbackMs, source: 'no Retry-After or x-ratelimit-reset header; backing off' };
}

;// CONCATENATED MODULE: ./src/github/graphql-client.ts






/** The pacing options' defaults (docs/decisions/011-github-client.md says why these). */
const DEFAULTS = {
    maxConcurrent: 4,
    maxRetries: 5,
    maxWaitMs: 15 * 60_000,
    fallbackWaitMs: 60_000,
    mutationIntervalMs: 1000,
    requestTimeoutMs: 60_000
};
/** A GraphQL client for `token` that paces and retries its requests as GitHub asks. */
async function createGitHubApi(token, options = {}) {
    if (token.trim() === '') {
        throw new Error(`Invalid github-token: it is empty. Expected a token that can read pull requests, ${TOKEN_HINT}.`);
    }
    const config = withDefaults(options);
    // Loaded here, and only here, so that runs without review threads do not pay for it.
    const { getOctokit } = await __nccwpck_require__.e(/* import() */ 413).then(__nccwpck_require__.bind(__nccwpck_require__, 2413));
    return new GraphQLClient(getOctokit(token, { baseUrl: config.apiUrl }), config);
}
/** The options with every default filled in, URLs from the environment when not given. */
function withDefaults(options) {
    const apiUrl = (options.apiUrl || process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
    return {
        apiUrl,
        graphqlUrl: options.graphqlUrl || process.env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`,
        maxConcurrent: Math.max(1, Math.floor(options.maxConcurrent ?? DEFAULTS.maxConcurrent)),
        maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
        maxWaitMs: options.maxWaitMs ?? DEFAULTS.maxWaitMs,
        fallbackWaitMs: options.fallbackWaitMs ?? DEFAULTS.fallbackWaitMs,
        mutationIntervalMs: options.mutationIntervalMs ?? DEFAULTS.mutationIntervalMs,
        log: options.log ?? (() => { }),
        signal: options.signal ?? new AbortController().signal,
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs
    };
}
/** Sends GraphQL requests through octokit, paced by its semaphores and pauses, retried as due. */
class GraphQLClient {
    octokit;
    config;
    slots;
    /** GitHub asks for mutations one at a time (secondary rate limits). */
    mutations = new Semaphore(1);
    rateLimitPause;
    mutationSpacing;
    constructor(octokit, config) {
        this.octokit = octokit;
        this.config = config;
        const pause = (ms) => this.pause(ms);
        this.slots = new Semaphore(config.maxConcurrent);
        this.rateLimitPause = new SharedPause(pause);
        this.mutationSpacing = new Spacing(config.mutationIntervalMs, pause);
    }
    /** Sends a query, or a mutation once the one before it is done. */
    async graphql(query, variables) {
        const mutation = /^\s*mutation\b/.test(query);
        const run = () => this.call(query, variables, mutation);
        return mutation ? this.mutations.run(run) : run();
    }
    /** One request, attempted until it brings data or its retries give up. */
    async call(query, variables, mutation) {
        const retries = new RetryBudget(this.config, mutation);
        const attempt = () => this.attempt(query, variables);
        for (;;) {
            const outcome = await this.slots.run(() => mutation ? this.mutationSpacing.run(attempt) : attempt());
            if (outcome.kind === 'data')
                return outcome.data;
            if (outcome.kind === 'transient')
                await this.pause(retries.afterTransient(outcome.error));
            else
                this.pauseAll(retries.afterRateLimit(outcome.headers, outcome.message));
        }
    }
    /** Pauses every request for a rate limit, and logs the wait when it lengthens the pause. */
    pauseAll(wait) {
        if (this.rateLimitPause.extend(wait.ms)) {
            this.config.log(`GitHub rate limit: waiting ${formatWait(wait.ms)} (${wait.source}).`);
        }
    }
    /** Sends the request once, after any rate-limit pause, and sorts what came of it. */
    async attempt(query, variables) {
        await this.rateLimitPause.waitOut();
        const { signal, requestTimeoutMs } = this.config;
        if (signal.aborted)
            throw this.stopped();
        const timeout = AbortSignal.timeout(requestTimeoutMs);
        let response;
        try {
            // An absolute URL: on GitHub Enterprise Server the GraphQL endpoint is not under apiUrl.
            response = await this.octokit.request(`POST ${this.config.graphqlUrl}`, {
                query,
                variables,
                request: { signal: AbortSignal.any([signal, timeout]) }
            });
        }
        catch (error) {
            if (signal.aborted)
                throw this.stopped();
            if (timeout.aborted) {
                const error = new Error(`GitHub did not answer within ${formatWait(requestTimeoutMs)}.`);
                return { kind: 'transient', error };
            }
            return failedAttempt(error);
        }
        return answeredAttempt(response);
    }
    /** Waits `ms`, or rejects at once when the run is cancelled: the runner kills the action soon. */
    async pause(ms) {
        try {
            await (0,external_node_timers_promises_namespaceObject.setTimeout)(ms, undefined, { signal: this.config.signal });
        }
        catch {
            throw this.stopped();
        }
    }
    /** The error every call rejects with once the run is cancelled. */
    stopped() {
        const reason = this.config.signal.reason;
        const why = reason instanceof Error ? reason.message : String(reason ?? 'aborted');
        return new Error(`GitHub request stopped: ${why}`, { cause: reason });
    }
}

;// CONCATENATED MODULE: ./src/github/pull-request.ts

const SET_INPUT = `Set the 'pull-request' input to a pull request number.`;
/** The pull request in GITHUB_REPOSITORY from an explicit number, else from the event payload. */
async function pullRequestFromContext(explicitNumber, env = process.env) {
    const repository = env.GITHUB_REPOSITORY ?? '';
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
    if (!match) {
        throw new Error(`Invalid GITHUB_REPOSITORY '${repository}'. Expected format {owner}/{repo}.`);
    }
    const owner = match[1];
    const repo = match[2];
    if (explicitNumber !== undefined) {
        if (!Number.isSafeInteger(explicitNumber) || explicitNumber < 1) {
            throw new Error(`Invalid pull-request '${explicitNumber}'. Expected a pull request number from 1 up.`);
        }
        return { owner, repo, number: explicitNumber };
    }
    return { owner, repo, number: await numberFromEvent(env) };
}
/** The pull request number of the event at GITHUB_EVENT_PATH; throws when it has none. */
async function numberFromEvent(env) {
    const eventName = env.GITHUB_EVENT_NAME || 'unknown';
    const event = await readEvent(env.GITHUB_EVENT_PATH ?? '');
    const number = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 1) {
        throw new Error(`The '${eventName}' event has no pull request. ${SET_INPUT} Events with one are pull_request, ` +
            'pull_request_target, pull_request_review, pull_request_review_comment, and issue_comment ' +
            'on a pull request.');
    }
    return number;
}
/** The event payload at `path`; throws, saying what to do, when there is none to read. */
async function readEvent(path) {
    if (path === '') {
        throw new Error(`No pull request: GITHUB_EVENT_PATH is not set, so there is no event to read. ${SET_INPUT}`);
    }
    try {
        return JSON.parse(await (0,promises_namespaceObject.readFile)(path, 'utf8')) ?? {};
    }
    catch (error) {
        throw new Error(`Could not read the event payload at GITHUB_EVENT_PATH '${path}': ${error.message}. ${SET_INPUT}`, { cause: error });
    }
}

;// CONCATENATED MODULE: ./src/github/review-thread-queries.ts
/** The GraphQL texts that read and change review threads, and the shapes of their answers. */
const COMMENT_FIELDS = `
        pageInfo { hasNextPage endCursor }
        nodes { author { login } body url createdAt }`;
/** One page of a pull request's review threads, each with its first page of comments. */
const THREADS_QUERY = `query ReviewThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      url
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isResolved isOutdated path line startLine diffSide subjectType viewerCanResolve
          comments(first: 100) {${COMMENT_FIELDS}
          }
        }
      }
    }
  }
}`;
/** One further page of a review thread's comments. */
const COMMENTS_QUERY = `query ReviewThreadComments($id: ID!, $cursor: String) {
  node(id: $id) {
    ... on PullRequestReviewThread {
      comments(first: 100, after: $cursor) {${COMMENT_FIELDS}
      }
    }
  }
}`;
/** Adds a reply to a review thread. */
const REPLY_MUTATION = `mutation ReplyToReviewThread($threadId: ID!, $body: String!) {
  addPullRequestReviewThreadReply(input: { pullRequestReviewThreadId: $threadId, body: $body }) {
    comment { url }
  }
}`;
/** Resolves a review thread. */
const RESOLVE_MUTATION = `mutation ResolveReviewThread($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) {
    thread { id isResolved }
  }
}`;

;// CONCATENATED MODULE: ./src/github/review-threads.ts



/** Every unresolved thread of `pr` that passes `filter`, in GitHub's order, with all comments. */
async function listReviewThreads(api, pr, filter) {
    const notFound = `Pull request #${pr.number} was not found in ${pr.owner}/${pr.repo}.`;
    try {
        const listed = await readThreadPages(api, pr, filter, notFound);
        // The client bounds how many of these run at once.
        await Promise.all(listed.map(({ thread, moreComments }) => moreComments === undefined ? undefined : fetchMoreComments(api, thread, moreComments)));
        return listed.map(({ thread }) => thread);
    }
    catch (error) {
        throw readError(error, pr, notFound);
    }
}
/** Follows every page of threads; keeps the open ones (outdated when asked) that match. */
async function readThreadPages(api, pr, filter, notFound) {
    const matches = threadMatcher(filter);
    const listed = [];
    let cursor = null;
    do {
        const variables = { owner: pr.owner, repo: pr.repo, number: pr.number, cursor };
        const page = await api.graphql(THREADS_QUERY, variables);
        const pullRequest = page?.repository?.pullRequest;
        if (!pullRequest)
            throw new Error(notFound);
        const { pageInfo, nodes } = pullRequest.reviewThreads;
        for (const node of nodes) {
            if (!node || node.isResolved || (node.isOutdated && !filter.includeOutdated))
                continue;
            const thread = toThread(node, pullRequest.url);
            if (!matches(thread))
                continue;
            const more = node.comments.pageInfo;
            listed.push({ thread, moreComments: (more.hasNextPage && more.endCursor) || undefined });
        }
        cursor = pageInfo.hasNextPage ? pageInfo.endCursor : null;
    } while (cursor);
    return listed;
}
/** Whether a thread passes the path globs and the author logins of `filter`. */
function threadMatcher(filter) {
    const paths = filter.paths.map(globToRegExp);
    const authors = new Set(filter.authors.map(loginKey));
    return thread => (paths.length === 0 || paths.some(glob => glob.test(thread.path))) &&
        (authors.size === 0 || authors.has(loginKey(thread.author)));
}
/** A login as filters compare it: case-insensitive, and without the `[bot]` GraphQL leaves out. */
function loginKey(login) {
    return login.toLowerCase().replace(/\[bot\]$/, '');
}
/** Appends the comments after `cursor` to the thread, page by page. */
async function fetchMoreComments(api, thread, cursor) {
    for (let after = cursor; after;) {
        const page = await api.graphql(COMMENTS_QUERY, { id: thread.id, cursor: after });
        const comments = page?.node?.comments;
        if (!comments)
            throw new Error(`Review thread ${thread.id} disappeared while it was read.`);
        thread.comments.push(...comments.nodes.filter(c => c !== null).map(toComment));
        after = comments.pageInfo.hasNextPage ? comments.pageInfo.endCursor : null;
    }
}
/** A comment as ReviewThread holds it. */
function toComment(node) {
    return {
        author: node.author?.login ?? 'ghost',
        body: node.body,
        url: node.url,
        createdAt: node.createdAt
    };
}
/** A thread as the command template sees it. */
function toThread(node, pullRequestUrl) {
    const comments = node.comments.nodes.filter(c => c !== null).map(toComment);
    const first = comments[0];
    // Where and what first: an item's label in the log and summary is the start of its JSON.
    return {
        path: node.path,
        line: node.line ?? null,
        author: first?.author ?? 'ghost',
        body: first?.body ?? '',
        startLine: node.startLine ?? null,
        diffSide: node.diffSide,
        isOutdated: node.isOutdated,
        subjectType: node.subjectType,
        url: first?.url ?? pullRequestUrl,
        id: node.id,
        comments,
        viewerCanResolve: node.viewerCanResolve
    };
}
/** An error from reading threads, said in terms of what to do about it. */
function readError(error, pr, notFound) {
    if (!(error instanceof GitHubError))
        return error;
    const where = `${pr.owner}/${pr.repo}`;
    if (error.forbidden) {
        return new Error(`The github-token may not read the review threads of ${where}#${pr.number} (${error.message}). ` +
            `It needs the 'pull-requests: read' permission: add 'pull-requests: read' under ` +
            `'permissions:' in the job ('pull-requests: write' to also resolve threads).`, { cause: error });
    }
    const path = error.notFoundPath;
    if (path !== undefined) {
        return new Error(path.includes('pullRequest')
            ? notFound
            : `Repository ${where} was not found, or the github-token cannot see it (${error.message}).`, { cause: error });
    }
    return error;
}
/** Replies with `comment` (when not empty), then resolves; never throws: the outcome says what failed. */
async function resolveReviewThread(api, threadId, comment) {
    let commentUrl;
    if (comment !== undefined && comment.trim() !== '') {
        try {
            const reply = await api.graphql(REPLY_MUTATION, { threadId, body: comment });
            commentUrl = reply?.addPullRequestReviewThreadReply?.comment?.url;
        }
        catch (error) {
            // Without its reply the resolve would go unexplained: leave the thread open.
            return { resolved: false, error: writeError(error, threadId, 'reply to') };
        }
    }
    const withUrl = commentUrl === undefined ? {} : { commentUrl };
    try {
        const result = await api.graphql(RESOLVE_MUTATION, { threadId });
        if (result?.resolveReviewThread?.thread?.isResolved === true)
            return { resolved: true, ...withUrl };
        return {
            resolved: false,
            ...withUrl,
            error: `GitHub did not mark review thread ${threadId} as resolved.`
        };
    }
    catch (error) {
        return { resolved: false, ...withUrl, error: writeError(error, threadId, 'resolve') };
    }
}
/** An error from a mutation, said in terms of what to do about it. */
function writeError(error, threadId, verb) {
    if (error instanceof GitHubError && error.forbidden) {
        return (`The github-token may not ${verb} review thread ${threadId} (${error.message}). ` +
            `It needs the 'pull-requests: write' permission: add 'pull-requests: write' under ` +
            `'permissions:' in the job. The GITHUB_TOKEN of a pull request from a fork is read-only ` +
            `whatever the job asks for; and if the permission is already granted, GitHub may also ` +
            `want 'contents: write' to resolve threads.`);
    }
    if (error instanceof GitHubError && error.notFoundPath !== undefined) {
        return `Review thread ${threadId} was not found; it may have been deleted (${error.message}).`;
    }
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/github/thread-items.ts








/** The thread fields a reply may name, as `{path}`. */
const THREAD_FIELDS = [
    'id',
    'path',
    'line',
    'startLine',
    'diffSide',
    'isOutdated',
    'subjectType',
    'url',
    'author',
    'body'
];
const PLACEHOLDER = /\{(#|outputs\.[A-Za-z_][\w-]*|[A-Za-z][\w-]*)\}/g;
/**
 * Checks the reply template: `{#}`, a thread field (`{path}`, `{line}`, `{author}`, …),
 * `{duration}`, or `{outputs.NAME}` (what the task wrote to its GITHUB_OUTPUT).
 */
function checkCommentTemplate(template) {
    for (const [placeholder, name] of template.matchAll(PLACEHOLDER)) {
        const known = name === '#' ||
            name === 'duration' ||
            name?.startsWith('outputs.') ||
            THREAD_FIELDS.includes(name);
        if (!known) {
            throw new Error(`Invalid ${Inputs.ResolveComment}: ${placeholder} names nothing. Expected {#}, ` +
                `${THREAD_FIELDS.map(field => `{${field}}`).join(', ')}, {duration} or {outputs.NAME}.`);
        }
    }
}
/** The reply for a finished task: placeholders filled with plain text (Markdown is GitHub's to render). */
function renderComment(template, thread, record) {
    return template.replace(PLACEHOLDER, (placeholder, name) => {
        if (name === '#')
            return String(record.index + 1);
        if (name === 'duration')
            return formatDuration(record.durationMs);
        if (name.startsWith('outputs.'))
            return record.outputs[name.slice('outputs.'.length)] ?? '';
        if (!THREAD_FIELDS.includes(name))
            return placeholder;
        const value = thread[name];
        return value === null ? '' : String(value);
    });
}
/**
 * Lists the pull request's unresolved review threads as items. When they are to be resolved,
 * checks first that the token may do so, so a missing permission stops the run before any
 * command, rather than after every task has done its work.
 */
async function loadReviewThreads(settings, signal) {
    if (settings.comment !== undefined)
        checkCommentTemplate(settings.comment);
    const pullRequest = await pullRequestFromContext(settings.pullRequest);
    const api = await createGitHubApi(settings.token, { log: info, signal });
    const threads = await listReviewThreads(api, pullRequest, {
        includeOutdated: settings.includeOutdated,
        paths: settings.paths,
        authors: settings.authors
    });
    const where = `${pullRequest.owner}/${pullRequest.repo}#${pullRequest.number}`;
    info(`Review threads of ${where}: ${threads.length} unresolved` +
        `${settings.includeOutdated ? '' : ', not outdated'}` +
        `${settings.paths.length + settings.authors.length > 0 ? ', matching the filters' : ''}.`);
    const locked = threads.filter(thread => !thread.viewerCanResolve);
    if (settings.resolve === ResolveThreads.OnSuccess && locked.length > 0) {
        throw new Error(`The ${Inputs.GitHubToken} may not resolve ${locked.length} of the ${threads.length} review ` +
            `threads of ${where}. Resolving needs the 'pull-requests: write' permission: add ` +
            `'pull-requests: write' under 'permissions:' in the job (the GITHUB_TOKEN of a pull ` +
            `request from a fork is read-only). If it is granted already, GitHub may refuse the ` +
            `workflow's GITHUB_TOKEN anyway: give a GitHub App token or a personal access token with ` +
            `pull-requests and contents write access as '${Inputs.GitHubToken}', or set ` +
            `'${Inputs.ResolveThreads}: ${ResolveThreads.None}'.`);
    }
    return { api, pullRequest, threads };
}
/** A review thread as an object item for the command template, its fields in the order they are listed. */
function threadItem(thread) {
    return {
        path: thread.path,
        line: thread.line,
        author: thread.author,
        body: thread.body,
        startLine: thread.startLine,
        diffSide: thread.diffSide,
        isOutdated: thread.isOutdated,
        subjectType: thread.subjectType,
        url: thread.url,
        id: thread.id,
        comments: thread.comments.map(comment => ({
            author: comment.author,
            body: comment.body,
            url: comment.url,
            createdAt: comment.createdAt
        })),
        viewerCanResolve: thread.viewerCanResolve
    };
}
/**
 * A function that resolves a finished task's thread when the task succeeded (replying first when
 * a comment template is given) and records the outcome on the record as `resolve`. A record's
 * index is its thread's place in `source.threads`.
 */
function threadResolver(source, settings) {
    if (settings.resolve !== ResolveThreads.OnSuccess)
        return undefined;
    const { comment } = settings;
    return async (record) => {
        if (record.status !== TaskStatus.Success)
            return;
        const thread = source.threads[record.index];
        if (thread === undefined) {
            record.resolve = { resolved: false, error: `no review thread for task ${record.index + 1}` };
            return;
        }
        const reply = comment === undefined ? undefined : renderComment(comment, thread, record);
        record.resolve = await resolveReviewThread(source.api, thread.id, reply).catch((error) => ({ resolved: false, error: String(error) }));
    };
}

;// CONCATENATED MODULE: ./src/system/shell-path.ts


/**
 * The program to start for a rendered command's `file`. On Windows, `bash` found on PATH may be
 * WSL's launcher in System32 rather than Git Bash; GitHub's `shell: bash` means Git Bash there,
 * so it is looked up where the hosted runners install Git. Everything else is left to PATH.
 */
function resolveProgram(file, platform = process.platform, env = process.env, exists = external_node_fs_namespaceObject.existsSync) {
    if (platform !== 'win32' || file !== 'bash')
        return file;
    const roots = [env.ProgramFiles, env['ProgramW6432'], 'C:\\Program Files'].filter((root) => typeof root === 'string' && root !== '');
    for (const root of roots) {
        const gitBash = external_node_path_namespaceObject.win32.join(root, 'Git', 'bin', 'bash.exe');
        if (exists(gitBash))
            return gitBash;
    }
    return file;
}

;// CONCATENATED MODULE: ./src/system/spawn-limits.ts


/**
 * Linux's MAX_ARG_STRLEN: the most bytes one argument or one `NAME=value` environment string may
 * have, its terminating NUL included. Past it, spawn fails with E2BIG only when the task starts.
 */
const MAX_ARG_STRLEN = 128 * 1024;
/** What a command that needs large data can do instead: the action gives tasks the item in a file. */
const LARGE_DATA_ADVICE = 'pass large data through a file instead (a task reads its item from $PARALLEL_ITEM_FILE when ' +
    'PARALLEL_ITEM is not set)';
/** Linux's ARG_MAX: the space for arguments and environment however small the stack limit. */
const MIN_ARG_SPACE = 128 * 1024;
/** Three quarters of Linux's _STK_LIM (8 MiB): the most, however large the stack limit. */
const MAX_ARG_SPACE = 6 * 1024 * 1024;
/** Each argument and variable also takes a pointer on the new process's stack. */
const POINTER_BYTES = 8;
/**
 * The most bytes the arguments and environment of a new process may take on Linux, counted as
 * `spawnBytes` does (fs/exec.c, bprm_stack_limits): a quarter of the stack limit, at least 128 KiB
 * and at most 6 MiB (2 MiB under the usual 8 MiB stack; `getconf ARG_MAX` says the same). Undefined
 * elsewhere, where it is not checked.
 */
function argumentSpaceLimit(platform = process.platform, limits = () => (0,external_node_fs_namespaceObject.readFileSync)('/proc/self/limits', 'utf8')) {
    if (platform !== 'linux')
        return undefined;
    let text;
    try {
        text = limits();
    }
    catch {
        return undefined;
    }
    const soft = /^Max stack size\s+(\S+)/m.exec(text)?.[1];
    if (soft === undefined)
        return undefined;
    const quarter = soft === 'unlimited' ? Infinity : Math.floor(Number(soft) / 4);
    if (Number.isNaN(quarter))
        return undefined;
    return Math.max(MIN_ARG_SPACE, Math.min(MAX_ARG_SPACE, quarter));
}
/** Bytes one string takes among a new process's arguments or environment: its UTF-8, a NUL, a pointer. */
function stringBytes(text) {
    return Buffer.byteLength(text) + 1 + POINTER_BYTES;
}
/** Bytes an environment takes in a new process, as `NAME=value` strings. */
function environmentBytes(env) {
    let bytes = 0;
    for (const [name, value] of Object.entries(env)) {
        if (value !== undefined)
            bytes += stringBytes(`${name}=${value}`);
    }
    return bytes;
}
/**
 * Bytes the kernel counts against `argumentSpaceLimit` for executing the file at `path` with
 * `argv` (argv[0] included), apart from the environment: the path is copied too, without a pointer.
 */
function argumentBytes(path, argv) {
    let bytes = Buffer.byteLength(path) + 1;
    for (const arg of argv)
        bytes += stringBytes(arg);
    // A process started without arguments is given an empty argv[0].
    return argv.length === 0 ? bytes + stringBytes('') : bytes;
}
/**
 * Why a command cannot be started with these arguments and this extra environment, or undefined
 * when it can: a NUL byte (no argument or variable can carry one), a lone surrogate (see
 * unsendableCharacter) or a string over MAX_ARG_STRLEN.
 */
function spawnProblem(args, env) {
    const strings = [
        ...args.map((arg, index) => [`argument ${index + 1} of its command`, arg]),
        ...Object.entries(env).map(([name, value]) => [
            `environment variable ${name}`,
            `${name}=${value}`
        ])
    ];
    for (const [what, text] of strings) {
        const unsendable = unsendableCharacter(text);
        if (unsendable !== undefined) {
            const character = unsendable === 'a NUL character' ? 'a NUL byte' : unsendable;
            return `${what} would contain ${character}, which no argument or environment variable can carry`;
        }
        if (!fitsOneString(text)) {
            const bytes = Buffer.byteLength(text) + 1;
            return (`${what} would be ${bytes.toLocaleString('en-US')} bytes, over Linux's limit of ` +
                `${MAX_ARG_STRLEN.toLocaleString('en-US')} bytes (128 KiB) per string; ` +
                LARGE_DATA_ADVICE);
        }
    }
    return undefined;
}
/** Whether one argument or `NAME=value` string is within MAX_ARG_STRLEN, NUL included. */
function fitsOneString(text) {
    // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    return text.length * 3 + 1 <= MAX_ARG_STRLEN || Buffer.byteLength(text) + 1 <= MAX_ARG_STRLEN;
}
/** Why a process whose arguments and environment take `bytes` cannot start, or undefined. */
function totalSizeProblem(bytes, limit) {
    if (limit === undefined || bytes <= limit)
        return undefined;
    return (`its arguments and environment would take ${bytes.toLocaleString('en-US')} bytes, over the ` +
        `system's limit of ${limit.toLocaleString('en-US')} bytes for starting a process (a quarter ` +
        `of the stack size limit, \`ulimit -s\`); ${LARGE_DATA_ADVICE}`);
}

;// CONCATENATED MODULE: ./src/exec/process-snapshot.ts

/**
 * Reading /proc on Linux: the process table (parents, groups) and the processes carrying a
 * marker in their environment. Stopping a task looks again every 10–100 ms until its processes
 * are gone; when many tasks are stopped at once (total-timeout, cancellation), one snapshot per
 * turn of the event loop serves them all, so a look costs one read of /proc, not one per task.
 * A stop's first look must not use a snapshot read before what triggered it (a process started
 * just before the trigger would be missed): events and snapshots are ordered by `moment()`.
 */
/** Where the environment marker's name starts; the run's random part follows. */
const MARKER_PREFIX = 'PARALLEL_EXEC_TASK_';
const MARKER_PREFIX_BYTES = Buffer.from(MARKER_PREFIX);
/** Counts full reads of /proc (each one reads a file per process). */
let procReads = 0;
/** How many times /proc has been read in full so far. */
function procReadCount() {
    return procReads;
}
let moments = 0;
/** A strictly increasing count: orders the events that trigger stops and the reads of /proc. */
function moment() {
    return ++moments;
}
/** What /proc says, each part read once, on first use (always after `takenAt`). */
class ProcessSnapshot {
    /** Taken before any of its parts is read. */
    takenAt = moment();
    table = null;
    /** The environment of every readable process whose environment has a marker of ours. */
    environs;
    /** The live processes; undefined when /proc cannot be read. */
    processes() {
        if (this.table === null)
            this.table = readProcessTable();
        return this.table;
    }
    /** Live processes whose environment has `marker` (see markedProcesses). */
    marked(marker) {
        if (!marker.startsWith(MARKER_PREFIX))
            return markedProcesses(marker);
        this.environs ??= readEnvirons(MARKER_PREFIX_BYTES);
        const needle = markerNeedle(marker);
        const found = [];
        for (const [entry, environ] of this.environs) {
            if (!hasEntry(environ, needle))
                continue;
            // The table may have been read before this process started: then ask it alone.
            const live = this.processes()?.has(Number(entry)) || isLive(entry);
            if (live)
                found.push(Number(entry));
        }
        return found;
    }
}
let shared;
/**
 * The snapshot of this turn of the event loop, shared by every stop that looks now (the stops'
 * poll timers fire together) and taken after the moment `after`; the next turn reads /proc anew.
 */
function sharedSnapshot(after = 0) {
    if (shared === undefined)
        setImmediate(() => (shared = undefined)).unref();
    if (shared === undefined || shared.takenAt <= after)
        shared = new ProcessSnapshot();
    return shared;
}
/** The live (not zombie) processes, from /proc; undefined when /proc cannot be read. */
function readProcessTable() {
    const entries = procEntries();
    if (entries === undefined)
        return undefined;
    const table = new Map();
    for (const entry of entries) {
        let stat;
        try {
            stat = external_node_fs_namespaceObject.readFileSync(`/proc/${entry}/stat`, 'latin1');
        }
        catch {
            continue; // gone meanwhile
        }
        // "pid (comm) state ppid pgrp ..." where comm may itself contain spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
        if (fields[0] === 'Z' || fields[0] === 'X')
            continue;
        const pid = Number(entry);
        table.set(pid, { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]) });
    }
    return table;
}
/** The live descendants of `root` (not root itself), through parent links; Linux only. */
function liveDescendants(root, table = readProcessTable()) {
    if (table === undefined)
        return [];
    const children = new Map();
    for (const entry of table.values()) {
        const siblings = children.get(entry.ppid);
        if (siblings)
            siblings.push(entry.pid);
        else
            children.set(entry.ppid, [entry.pid]);
    }
    const found = new Set();
    const queue = [root];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
        for (const child of children.get(next) ?? []) {
            if (!found.has(child)) {
                found.add(child);
                queue.push(child);
            }
        }
    }
    return [...found];
}
/**
 * Live processes whose environment (as they were started) has `marker`: a whole `NAME=value`
 * entry, or, ending with `=`, any value of that name. Only our own processes can be read.
 */
function markedProcesses(marker) {
    const needle = markerNeedle(marker);
    const found = [];
    for (const [entry, environ] of readEnvirons(needle)) {
        if (hasEntry(environ, needle) && isLive(entry))
            found.push(Number(entry));
    }
    return found;
}
/** What a marker looks like inside an environment: `NAME=` as given, or `NAME=value\0`. */
function markerNeedle(marker) {
    return Buffer.from(marker.endsWith('=') ? marker : `${marker}\0`);
}
/** The environment of every readable process in which `needle` occurs, by /proc entry. */
function readEnvirons(needle) {
    const environs = new Map();
    const entries = procEntries();
    if (entries === undefined)
        return environs;
    // Most reads fail (other users' processes, kernel threads): no stack traces for them.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        for (const entry of entries) {
            try {
                const environ = external_node_fs_namespaceObject.readFileSync(`/proc/${entry}/environ`);
                if (environ.includes(needle))
                    environs.set(entry, environ);
            }
            catch {
                continue;
            }
        }
    }
    finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
    return environs;
}
/** Whether `needle` starts an entry of a NUL-separated environment. */
function hasEntry(environ, needle) {
    for (let at = environ.indexOf(needle); at !== -1; at = environ.indexOf(needle, at + 1)) {
        if (at === 0 || environ[at - 1] === 0)
            return true;
    }
    return false;
}
/** Whether /proc/<pid> is a process that has not ended (zombies have). */
function isLive(pid) {
    try {
        const stat = external_node_fs_namespaceObject.readFileSync(`/proc/${pid}/stat`, 'latin1');
        const state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state !== 'Z' && state !== 'X';
    }
    catch {
        return false;
    }
}
/** The numeric entries of /proc; undefined where there is no /proc. */
function procEntries() {
    let entries;
    try {
        entries = external_node_fs_namespaceObject.readdirSync('/proc');
    }
    catch {
        return undefined;
    }
    procReads++;
    return entries.filter(entry => {
        const code = entry.charCodeAt(0);
        return code >= 48 && code <= 57;
    });
}

;// CONCATENATED MODULE: ./src/exec/process-tree.ts




/**
 * Finding and stopping every process of a task on Linux, including those that left its process
 * group and lost their parent link (`( setsid daemon & )`, `setsid -f`): see
 * docs/decisions/004-orphans.md. A task started by a launcher stays a descendant of that launcher
 * (a child subreaper); any task carries a marker in its environment, found in /proc/N/environ.
 */
/** SIGTERM to SIGKILL when stopping a task's processes. */
const DEFAULT_KILL_GRACE_MS = 2000;
// Only while stopping: how often to look again whether everything is gone (doubling up to 100 ms).
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;
// After SIGKILL the kernel still needs a moment before the processes are gone.
const KILL_SETTLE_MS = 500;
let markerName;
let markedTasks = 0;
/**
 * This process's marker variable, `PARALLEL_EXEC_TASK_<random>=`: a nested run adds its own and
 * keeps its parent's, so each run finds its own tasks' processes.
 */
function runMarker() {
    markerName ??= `${MARKER_PREFIX}${randomBytes(8).toString('hex').toUpperCase()}=`;
    return markerName;
}
/** A new task's marker, `NAME=n`, unique within the run. */
function newTaskMarker() {
    return `${runMarker()}${++markedTasks}`;
}
/** The marker the next task will get: its size counts against the system's limit. */
function nextTaskMarker() {
    return `${runMarker()}${markedTasks + 1}`;
}
/**
 * Stops what `find` finds (live pids, looked up anew at each step since they may fork) and the
 * process group `pgid`, if given: SIGTERM, then SIGKILL to whatever is still there after the grace.
 * False when something is still there after that (a process we may not signal). Every look reads
 * the snapshot of /proc that every stop in progress shares for this turn of the event loop; the
 * first one taken after `triggeredAt`, the `moment()` of the event that called for the stop.
 */
async function stopProcesses(find, pgid, graceMs, triggeredAt) {
    const groupSignalled = pgid !== undefined && signalGroup(pgid, 'SIGTERM');
    // An earlier read may predate a process started just before the trigger, and miss it.
    const found = find(sharedSnapshot(triggeredAt));
    if (!groupSignalled && found.length === 0)
        return true;
    for (const pid of found)
        signalProcess(pid, 'SIGTERM');
    const gone = (snapshot) => (pgid === undefined ||
        !groupMayBeAlive(pgid) ||
        !groupHasLiveMembers(pgid, snapshot.processes())) &&
        find(snapshot).length === 0;
    if (await waitUntil(() => gone(sharedSnapshot()), graceMs))
        return true;
    const killAll = () => {
        const snapshot = sharedSnapshot();
        if (pgid !== undefined)
            signalGroup(pgid, 'SIGKILL');
        for (const pid of find(snapshot))
            signalProcess(pid, 'SIGKILL');
        return gone(snapshot);
    };
    // Again at each look: a process may have forked between a look and the kill.
    return killAll() || (await waitUntil(killAll, KILL_SETTLE_MS));
}
/** Polls `done` (10 ms, doubling up to 100 ms) until it says true or `limitMs` has passed. */
async function waitUntil(done, limitMs) {
    const startedAt = Date.now();
    let pollMs = FIRST_POLL_MS;
    for (;;) {
        const elapsed = Date.now() - startedAt;
        if (elapsed >= limitMs)
            return false;
        await (0,external_node_timers_promises_namespaceObject.setTimeout)(Math.min(pollMs, limitMs - elapsed));
        if (done())
            return true;
        pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
    }
}
/** Sends a signal to one process; ignores ESRCH (gone) and EPERM (not ours). */
function signalProcess(pid, signal) {
    try {
        process.kill(pid, signal);
    }
    catch {
        // Gone already, or not ours to signal.
    }
}
/** Sends a signal to a process group; false when the group no longer exists. */
function signalGroup(pgid, signal) {
    // After every task the group is checked, and usually gone: the ESRCH error is the common case,
    // and capturing its stack trace was the costliest part of it.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        process.kill(-pgid, signal);
        return true;
    }
    catch (error) {
        // EPERM: a member we may not signal (e.g. setuid) is still a member.
        return error.code !== 'ESRCH';
    }
    finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}
/** kill(0) counts zombies too, so true here may still mean nothing is running. */
function groupMayBeAlive(pgid) {
    return signalGroup(pgid, 0);
}
/** Whether the group has a member that is not a zombie; without /proc, assume it has. */
function groupHasLiveMembers(pgid, table = readProcessTable()) {
    if (process.platform !== 'linux')
        return true;
    if (table === undefined)
        return true;
    for (const entry of table.values())
        if (entry.pgrp === pgid)
            return true;
    return false;
}

;// CONCATENATED MODULE: ./src/exec/key-value-file.ts

/** A name, `<<`, a delimiter: the lenient reading's block start, taken when no `=` comes first. */
const LENIENT_BLOCK = /^([^=]+?)<<(.+)$/;
function parseKeyValueFile(text, { strict }) {
    const lines = splitLines(text, strict);
    const entries = [];
    for (let index = 0; index < lines.length; index++) {
        const line = lines[index];
        if (line === '')
            continue;
        const start = lineStart(line, strict);
        if (start === undefined)
            continue;
        if (typeof start === 'string')
            return { problem: `line ${index + 1} ${start}` };
        if ('value' in start) {
            entries.push([start.name, start.value]);
            continue;
        }
        let end = lines.indexOf(start.delimiter, index + 1);
        if (end === -1) {
            if (strict) {
                return {
                    problem: `the value that starts on line ${index + 1} has no closing delimiter line`
                };
            }
            // An unterminated block is what the runner rejects; keep what is there rather than fail.
            end = lines.length;
        }
        entries.push([start.name, lines.slice(index + 1, end).join('\n')]);
        index = end;
    }
    return { entries };
}
/** The file's lines, as the rules end them. */
function splitLines(text, strict) {
    if (!strict)
        return text.split(/\r?\n/);
    // The runner reads the file as .NET's File.ReadAllText does, which drops a byte order mark.
    return (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
}
/**
 * How a non-empty line starts a variable; undefined for a line the lenient reading passes over,
 * and what is wrong with a line the strict reading refuses.
 */
function lineStart(line, strict) {
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        if (equals > 0)
            return { name: line.slice(0, equals), value: line.slice(equals + 1) };
        return strict ? 'sets a variable without a name' : undefined;
    }
    if (!strict) {
        const block = LENIENT_BLOCK.exec(line);
        if (block !== null)
            return { name: block[1], delimiter: block[2] };
        return equals > 0 ? { name: line.slice(0, equals), value: line.slice(equals + 1) } : undefined;
    }
    if (heredoc < 0)
        return 'is neither NAME=value nor NAME<<DELIMITER';
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === '' || delimiter === '')
        return "needs a name before '<<' and a delimiter after it";
    return { name, delimiter };
}
/**
 * Lines that set these variables (as a strict reading gives them), each as `NAME<<DELIMITER`
 * with a fresh random delimiter that its value does not contain (as @actions/core writes them),
 * so nothing a task wrote can end a block early or run into the next task's. A name ending in
 * `<` would run into the `<<`: it can only have come from a `NAME=value` line, and is written as
 * one.
 */
function serializeEnvEntries(entries) {
    let text = '';
    for (const [name, value] of entries) {
        if (name.endsWith('<') && !value.includes('\n')) {
            text += `${name}=${value}\n`;
            continue;
        }
        let delimiter = `ghadelimiter_${randomUUID()}`;
        while (value.includes(delimiter) || name.includes(delimiter)) {
            delimiter = `ghadelimiter_${randomUUID()}`;
        }
        text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    }
    return text;
}

;// CONCATENATED MODULE: ./src/exec/task-files.ts




/** Most bytes of a task's GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that are read back. */
const MAX_TASK_OUTPUTS_BYTES = 1024 * 1024;
const MAX_TASK_SUMMARY_BYTES = 64 * 1024;
/**
 * A task's own GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and item files, and its own file for each step
 * file command the runner set (GITHUB_ENV, GITHUB_PATH). Parallel tasks writing
 * to the step's files would race on them (eight multi-line GITHUB_ENV writes at once leave it
 * unparseable) and could blow the summary's budget; each task gets its own. The files belong to a
 * worker slot and are emptied for each task that runs in it: no file is created or deleted per
 * task unless it wrote to a step file or its item is written, and since most tasks write nothing,
 * a task usually costs a few lstat calls.
 */
class TaskFiles {
    directory;
    /** Path given to the task as GITHUB_OUTPUT. */
    outputPath;
    /** Path given to the task as GITHUB_STEP_SUMMARY. */
    summaryPath;
    /** Path given to the task as PARALLEL_ITEM_FILE, when it gets one. */
    itemPath;
    /** The task's file for each step file command. */
    stepPaths;
    /** Every variable naming one of these files but the item's. */
    variables;
    constructor(directory, slot, stepFileCommands = []) {
        this.directory = directory;
        this.outputPath = (0,external_node_path_namespaceObject.join)(directory, `github-output-${slot}`);
        this.summaryPath = (0,external_node_path_namespaceObject.join)(directory, `github-step-summary-${slot}`);
        this.itemPath = (0,external_node_path_namespaceObject.join)(directory, `parallel-item-${slot}`);
        this.stepPaths = stepFileCommands.map(name => [
            name,
            (0,external_node_path_namespaceObject.join)(directory, `${task_files_fileName(name)}-${slot}`)
        ]);
        this.variables = {
            GITHUB_OUTPUT: this.outputPath,
            GITHUB_STEP_SUMMARY: this.summaryPath,
            ...Object.fromEntries(this.stepPaths)
        };
    }
    /**
     * Makes every file exist, be a plain file of ours and be empty before a task (or another attempt
     * of one) gets them, and writes the item afresh when given: @actions/core refuses a file that is
     * missing, a failed attempt's outputs must not leak into the next, nor what a process left behind
     * by the previous task wrote since. What a task put in a file's place (a hard link to a file
     * elsewhere, a symlink) is removed, never truncated or written through (see plain-files.ts).
     */
    async reset(item) {
        if (item !== undefined)
            createAfresh(this.itemPath, item);
        emptyFile(this.outputPath);
        emptyFile(this.summaryPath);
        for (const [, path] of this.stepPaths)
            emptyFile(path);
    }
    /**
     * Reads what the task wrote (only the start of a huge file). A step file it wrote to is moved
     * aside, named by the task's `index`, to be applied after the run.
     */
    async collect(index) {
        let stepFiles;
        for (const [name, path] of this.stepPaths) {
            if (plainFileSize(path) <= 0)
                continue;
            const kept = (0,external_node_path_namespaceObject.join)(this.directory, `${task_files_fileName(name)}-task-${index + 1}`);
            // A task knows the name: whatever it put there (a directory would fail the rename) goes.
            removePath(kept);
            (0,external_node_fs_namespaceObject.renameSync)(path, kept);
            stepFiles ??= {};
            stepFiles[name] = kept;
        }
        const outputText = readStart(this.outputPath, MAX_TASK_OUTPUTS_BYTES);
        const summary = readStart(this.summaryPath, MAX_TASK_SUMMARY_BYTES);
        return { outputs: parseOutputFile(outputText), summary, stepFiles };
    }
}
/** Removes the item files of worker slots 1 to `slots`: the items are in the results. */
function removeItemFiles(directory, slots) {
    for (let slot = 1; slot <= slots; slot++) {
        (0,external_node_fs_namespaceObject.rmSync)(new TaskFiles(directory, slot).itemPath, { force: true, recursive: true });
    }
}
/** `GITHUB_ENV` → `github-env`. */
function task_files_fileName(variable) {
    return variable.toLowerCase().replaceAll('_', '-');
}
/**
 * The size of a plain file; -1 when it is missing or is something else a task put there (a
 * directory, a FIFO that would block a read, a symlink to a file that is not ours). A local
 * lstat: quicker in line than through the thread pool, and most tasks write nothing.
 */
function plainFileSize(path) {
    const stats = (0,external_node_fs_namespaceObject.lstatSync)(path, { throwIfNoEntry: false });
    return stats?.isFile() ? stats.size : -1;
}
/**
 * The first `limit` bytes of a task's file as UTF-8; '' when it is empty or missing, or is not a
 * plain file. A local lstat first: most tasks write nothing.
 */
function readStart(path, limit) {
    if (plainFileSize(path) <= 0)
        return '';
    return readPlainFile(path, limit)?.bytes.toString('utf8') ?? '';
}
/**
 * Reads a GITHUB_OUTPUT file leniently (see parseKeyValueFile): every output that can be read,
 * later values winning.
 */
function parseOutputFile(text) {
    // No prototype: a task may name an output __proto__.
    const outputs = Object.create(null);
    for (const [name, value] of parseKeyValueFile(text, { strict: false }).entries) {
        outputs[name] = value;
    }
    return outputs;
}

;// CONCATENATED MODULE: ./src/exec/task-environment.ts




/**
 * What the runner gives a JavaScript action but not a `run:` step (actions/runner,
 * NodeScriptActionHandler): credentials for the artifact, cache, results and OIDC services. The
 * action's own state file goes too: a task writing to it would change the action's state.
 */
const ACTION_ONLY_VARIABLES = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_CACHE_SERVICE_V2',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'GITHUB_STATE'
];
/**
 * The runner's file commands that change what later steps see and whose rules the action applies.
 * Each task that runs while the step has one gets a file of its own under the same name; they are
 * applied to the step's file after the run, in input order (see StepFiles).
 */
const STEP_FILE_COMMANDS = ['GITHUB_ENV', 'GITHUB_PATH'];
/**
 * Runner files tasks do not get: GITHUB_ARTIFACTS, whose rules (a size cap, a cap per job, URI
 * schemes, conflicting digests, all unreleased and changing) the action could not apply to each
 * task's file faithfully, and sharing the step's would let one task fail the step for all.
 */
const WITHHELD_FILE_COMMANDS = ['GITHUB_ARTIFACTS'];
/** Runner files known to be read-only for a step, passed on to tasks as they are. */
const READ_ONLY_RUNNER_FILES = [
    'GITHUB_EVENT_PATH',
    'GITHUB_ARTIFACTS_LIST'
];
/** Runner files the action gives each task a file of its own for, or passes on. */
const KNOWN_RUNNER_FILES = [
    'GITHUB_OUTPUT',
    'GITHUB_STEP_SUMMARY',
    ...STEP_FILE_COMMANDS,
    ...READ_ONLY_RUNNER_FILES
];
/**
 * Whether a variable names a runner file command the action does not know: the runner keeps every
 * one in its `_runner_file_commands` directory (actions/runner, FileCommandManager), and a task
 * writing to the step's file would race the other tasks under rules the action cannot check.
 */
function isUnknownFileCommand(name, value) {
    if (!name.startsWith('GITHUB_') || value === undefined || KNOWN_RUNNER_FILES.includes(name)) {
        return false;
    }
    return (0,external_node_path_namespaceObject.basename)((0,external_node_path_namespaceObject.dirname)(value)) === '_runner_file_commands';
}
/**
 * The environment tasks start from: the runner's, without the action's own inputs (a token among
 * them), without what a `run:` step would not get either, and without runner files tasks cannot
 * share (WITHHELD_FILE_COMMANDS and any file command the action does not know).
 */
function taskEnvironment(env) {
    const result = {};
    for (const [name, value] of Object.entries(env)) {
        if (name.startsWith('INPUT_') ||
            ACTION_ONLY_VARIABLES.includes(name) ||
            WITHHELD_FILE_COMMANDS.includes(name) ||
            isUnknownFileCommand(name, value)) {
            continue;
        }
        result[name] = value;
    }
    return result;
}
/** The step's file for each of STEP_FILE_COMMANDS the runner set. */
function stepFileTargets(env) {
    const targets = {};
    for (const name of STEP_FILE_COMMANDS) {
        const path = env[name];
        if (path !== undefined && path !== '')
            targets[name] = path;
    }
    return targets;
}
/** The budget for tasks run in `workDirectory` on up to `slots` worker slots, numbered up to `count`. */
function spawnBudget(workDirectory, slots, count, env = process.env) {
    const files = new TaskFiles(workDirectory, slots, Object.keys(stepFileTargets(env)));
    const longest = {
        ...taskEnvironment(env),
        PARALLEL_SEQ: String(count),
        PARALLEL_JOBSLOT: String(slots),
        PARALLEL_ITEM_FILE: files.itemPath,
        ...files.variables,
        // The marker every task carries on Linux (process-tree.ts), its number at its longest.
        [runMarker().slice(0, -1)]: String(Number.MAX_SAFE_INTEGER)
    };
    return { limit: argumentSpaceLimit(), environmentBytes: environmentBytes(longest), slots };
}

;// CONCATENATED MODULE: ./src/template/shell-words.ts
/**
 * What every analysis of a shell template shares: the quoting contexts and the quoting for each,
 * the placeholder matcher's types, and the shell-like word splitting used when no shell runs at
 * all (`shell: none`).
 */
/** The template cannot be lexed with certainty, or puts a placeholder where it cannot be safe. */
class ShellSyntaxError extends Error {
    name = 'ShellSyntaxError';
}
/** "line 2, column 5" for a 0-based index into text. */
function describePosition(text, index) {
    const before = text.slice(0, index);
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    return `line ${line}, column ${column}`;
}
/** Writes value so the shell reads back exactly its characters in the given context. */
function quoteInContext(value, context) {
    const singleQuoted = value.replaceAll("'", `'\\''`);
    switch (context) {
        case 'raw':
            if (!/^[0-9]+$/.test(value))
                throw new Error(`Refusing to write ${value} unquoted.`);
            return value;
        case 'single':
            return singleQuoted;
        case 'bare':
            return `'${singleQuoted}'`;
        case 'double':
            // Close the "…", add the value single-quoted, reopen. Escaping inside "…" would have to get
            // $, `, \, " and ! right, and bash and dash disagree on some backslash escapes; single quotes
            // mean the same to both, and adjacent quoted strings still make one word.
            return `"'${singleQuoted}'"`;
        case 'ansiC':
            // Close the $'…' and reopen it after the value, so no backslash escape can touch the value.
            return `''${singleQuoted}'$'`;
    }
}
const RESERVED_WORDS = new Set([
    '!',
    '{',
    '}',
    '[[',
    ']]',
    'case',
    'coproc',
    'do',
    'done',
    'elif',
    'else',
    'esac',
    'fi',
    'for',
    'function',
    'if',
    'in',
    'select',
    'then',
    'time',
    'until',
    'while'
]);
/** Quotes one word for a POSIX shell, only when it needs it, so a command can be copy-pasted. */
function shellQuote(word, { isCommandName = false } = {}) {
    const safe = /^[A-Za-z0-9_@%+=:,./-]+$/.test(word);
    // As the first word, NAME=value would be an assignment and `if` a reserved word.
    const misreadAsCommandName = isCommandName && (word.includes('=') || RESERVED_WORDS.has(word));
    if (safe && !misreadAsCommandName)
        return word;
    return `'${word.replaceAll("'", `'\\''`)}'`;
}
/** Joins words into a command line a POSIX shell reads back as the same words. */
function shellJoin(words) {
    return words.map((word, index) => shellQuote(word, { isCommandName: index === 0 })).join(' ');
}
/** The characters a POSIX shell separates words with: blanks (space, tab) and newline. */
const WORD_SEPARATORS = new Set([' ', '\t', '\n']);
/**
 * Splits text into words the way a shell would, without running one: spaces, tabs and newlines
 * separate words (as in a POSIX shell, other whitespace such as a carriage return, U+00A0 or U+2028
 * is part of a word), '…' and "…" group without expanding anything (inside "…" a backslash escapes
 * only " and \), and a bare backslash escapes the next character (backslash-newline joins lines).
 * `#` is an ordinary character: there are no comments without a shell. With a matcher,
 * placeholders become parts of their words, also after a `$` (which means nothing without a
 * shell); their values are later put in verbatim.
 */
function splitWords(text, matchPlaceholder) {
    const words = [];
    let word;
    let literal = '';
    const flushLiteral = () => {
        if (literal !== '')
            word?.push({ kind: 'text', text: literal });
        literal = '';
    };
    const startWord = () => (word ??= []);
    const placeholderAt = (index) => matchPlaceholder !== undefined && text[index] === '{'
        ? matchPlaceholder(text, index)
        : undefined;
    // Returns the index after the placeholder at index, or undefined when there is none.
    const takePlaceholder = (index) => {
        const match = placeholderAt(index);
        if (match === undefined)
            return undefined;
        startWord();
        flushLiteral();
        word?.push({ kind: 'placeholder', source: text.slice(index, index + match.length) });
        return index + match.length;
    };
    let index = 0;
    while (index < text.length) {
        const char = text[index];
        if (WORD_SEPARATORS.has(char)) {
            flushLiteral();
            if (word !== undefined)
                words.push(word);
            word = undefined;
            index++;
        }
        else if (char === '\\') {
            const next = text[index + 1];
            if (next === undefined) {
                throw new ShellSyntaxError(`The command ends with a backslash that escapes nothing (${describePosition(text, index)}).`);
            }
            if (next !== '\n') {
                startWord();
                literal += next;
            }
            index += 2;
        }
        else if (char === "'" || char === '"') {
            startWord();
            const close = char;
            const open = index;
            index++;
            for (;;) {
                const inner = text[index];
                if (inner === undefined) {
                    throw new ShellSyntaxError(`The command has an unterminated ${close}…${close} quote starting at ${describePosition(text, open)}.`);
                }
                if (inner === close) {
                    index++;
                    break;
                }
                const next = text[index + 1];
                if (close === '"' && inner === '\\' && (next === '"' || next === '\\')) {
                    literal += next;
                    index += 2;
                    continue;
                }
                const after = takePlaceholder(index);
                if (after !== undefined) {
                    index = after;
                    continue;
                }
                literal += inner;
                index++;
            }
        }
        else {
            const after = takePlaceholder(index);
            if (after !== undefined) {
                index = after;
                continue;
            }
            startWord();
            literal += char;
            index++;
        }
    }
    flushLiteral();
    if (word !== undefined)
        words.push(word);
    return words;
}

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __nccwpck_require__(4573);
;// CONCATENATED MODULE: ./src/template/pwsh-syntax.ts
/**
 * PowerShell 7 (pwsh) quoting for untrusted values: the quoting for each context a placeholder can
 * stand in (found by the lexer in pwsh-lexer.ts, whose comment lists the rules relied on), the
 * rendering of a lexed template, and the -EncodedCommand invocation.
 */

/** The values of some placeholders cannot be used together (they would make the token --%). */
class PwshValueError extends Error {
    sources;
    name = 'PwshValueError';
    constructor(sources, message) {
        super(message);
        this.sources = sources;
    }
}
/** The value with each single quote, of any of the five kinds, written twice. */
function doubleSingleQuotes(value) {
    // Each single quote, of whichever kind, written twice stands for itself (ScanStringLiteral).
    return value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&');
}
/** Writes value so PowerShell reads back exactly its characters in the given context. */
function quotePwsh(value, context) {
    switch (context) {
        case 'raw':
            if (!/^[0-9]+$/.test(value))
                throw new Error(`Refusing to write ${value} unquoted.`);
            return value;
        case 'single':
            return doubleSingleQuotes(value);
        case 'bare':
            return `'${doubleSingleQuotes(value)}'`;
        case 'double':
            // ` $ and the double quotes are the only special characters in "…"; a backtick before any
            // of them stands for the character itself (Backtick's default case).
            return value.replace(/[`$"\u201c\u201d\u201e]/g, '`$&');
        case 'word':
            // A "…" part rather than '…': in a word that also expands $…, braces in a '…' part would
            // be read as format items (ScanGenericToken); "…" parts have them doubled.
            return `"${quotePwsh(value, 'double')}"`;
        case 'nestedDouble':
            // No ( ) or double quote may appear (ScanSubExpression counts parentheses and merges
            // doubled quotes), and no backtick may end up before a double quote of the template: write
            // those as `u{…} escapes, and an empty value as an empty subexpression so that the
            // template's quotes around it do not become a doubled quote.
            if (value === '')
                return '$()';
            return value.replace(/[`$()"\u201c\u201d\u201e]/g, char => char === '$' ? '`$' : `\`u{${char.codePointAt(0).toString(16).toUpperCase()}}`);
    }
}
/** The stop-parsing token: the rest of the line is one verbatim argument. */
const STOP_PARSING = '--%';
/**
 * Renders a lexed template with the values of its placeholders. Throws PwshValueError when the
 * values would turn a token into the stop-parsing token --%.
 */
function renderPwshScript(script, valueOf) {
    const values = script.parts.map(part => part.kind === 'placeholder' ? valueOf(part.source) : undefined);
    const overrides = new Map();
    for (const guard of script.guards) {
        const word = guard.pieces
            .map(piece => (typeof piece === 'string' ? piece : (values[piece] ?? '')))
            .join('');
        if (word.toLowerCase() !== STOP_PARSING)
            continue;
        const [only] = guard.pieces;
        const part = typeof only === 'number' ? script.parts[only] : undefined;
        if (guard.pieces.length === 1 && part?.kind === 'placeholder' && part.context === 'bare') {
            // A parenthesized expression is not a string token, so its value is never taken for --%.
            overrides.set(only, `(${quotePwsh(word, 'bare')})`);
            continue;
        }
        const sources = guard.pieces.flatMap(piece => {
            const found = typeof piece === 'number' ? script.parts[piece] : undefined;
            return found?.kind === 'placeholder' ? [found.source] : [];
        });
        throw new PwshValueError([...new Set(sources)], 'the word it stands in would read --%, which PowerShell takes as its stop-parsing token, ' +
            'passing the rest of the line on unquoted.');
    }
    return script.parts
        .map((part, index) => part.kind === 'text'
        ? part.text
        : (overrides.get(index) ?? quotePwsh(values[index] ?? '', part.context)))
        .join('');
}
// Invocation
/** Run before the script, as GitHub's `shell: pwsh` does (actions/runner ScriptHandlerHelpers.cs). */
const PWSH_PRELUDE = "$ErrorActionPreference = 'stop'";
/** Run after the script, as GitHub's `shell: pwsh` does. */
const PWSH_EPILOGUE = 'if ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }';
/** The whole script pwsh runs: GitHub's prelude, the script, GitHub's epilogue, one per line. */
function pwshScriptWithPrelude(script) {
    return `${PWSH_PRELUDE}\n${script}\n${PWSH_EPILOGUE}`;
}
/**
 * The arguments for pwsh that run a script. -EncodedCommand takes base64 of UTF-16LE
 * (StringToBase64Converter.Base64ToString: Encoding.Unicode), so no command-line quoting is
 * involved on any platform. -OutputFormat Text is needed because pwsh otherwise switches to CLIXML
 * when its output is redirected and the command was encoded (PowerShell/PowerShell#5912, fixed in
 * #8115 to honour an explicit -OutputFormat).
 */
function pwshArguments(script) {
    const encoded = external_node_buffer_.Buffer.from(pwshScriptWithPrelude(script), 'utf16le').toString('base64');
    return [
        '-NoLogo',
        '-NoProfile',
        '-NonInteractive',
        '-OutputFormat',
        'Text',
        '-EncodedCommand',
        encoded
    ];
}

;// CONCATENATED MODULE: ./src/template/pwsh-chars.ts
/** PowerShell's character classes (CharTraits.cs, tokenizer.cs), as its tokenizer uses them. */
const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b";
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
/** CharTraits.IsSingleQuote: ' and U+2018–U+201B. */
function isSingleQuote(char) {
    return char !== undefined && char.length === 1 && SINGLE_QUOTES.includes(char);
}
/** CharTraits.IsDoubleQuote: " and U+201C–U+201E. */
function isDoubleQuote(char) {
    return char !== undefined && char.length === 1 && DOUBLE_QUOTES.includes(char);
}
/** Either kind of quote. */
function isQuote(char) {
    return isSingleQuote(char) || isDoubleQuote(char);
}
/** CharExtensions.IsDash: - and the en dash, em dash and horizontal bar. */
function isDash(char) {
    return char === '-' || char === '\u2013' || char === '\u2014' || char === '\u2015';
}
/** CharExtensions.IsWhitespace: newlines are not whitespace. */
function isWhitespace(char) {
    if (char === undefined)
        return false;
    if (' \t\v\f\u00a0\u0085'.includes(char))
        return true;
    // char.IsSeparator for characters above U+0100: the Unicode categories Zs, Zl and Zp.
    return char.charCodeAt(0) > 256 && /^\p{Z}$/u.test(char);
}
/** .NET char.IsWhiteSpace, used after a backtick at the start of a token. */
function isDotnetWhitespace(char) {
    return char !== undefined && (/^[\t\n\v\f\r \u0085\u00a0]$/.test(char) || /^\p{Z}$/u.test(char));
}
/** CharExtensions.IsNewLine: CR or LF. */
function isNewline(char) {
    return char === '\r' || char === '\n';
}
/** CharExtensions.ForceStartNewToken; the end of the text ends a token too. */
function forcesNewToken(char) {
    if (char === undefined)
        return true;
    if (char.charCodeAt(0) < 128)
        return '\0\t\n\v\f\r &(),;{|}'.includes(char);
    return isWhitespace(char);
}
/** .NET char.IsLetterOrDigit, for one UTF-16 code unit. */
function isLetterOrDigit(char) {
    return /^[\p{L}\p{Nd}]$/u.test(char);
}
/** CharExtensions.IsVariableStart: what may follow $ in a variable name. */
function isVariableStart(char) {
    if (char === undefined)
        return false;
    if (char.charCodeAt(0) < 128)
        return /^[A-Za-z0-9_$:?^]$/.test(char);
    return isLetterOrDigit(char);
}

;// CONCATENATED MODULE: ./src/template/pwsh-lexer.ts
/**
 * Just enough PowerShell 7 (pwsh) syntax to put untrusted values into a command template safely:
 * a lexer that finds each placeholder's quoting context (the quoting for each context and the
 * -EncodedCommand invocation are in pwsh-syntax.ts).
 *
 * pwsh cannot be run where this is developed and tested, so every rule here is taken from the
 * PowerShell source (PowerShell/PowerShell, src/System.Management.Automation/engine/parser/:
 * tokenizer.cs, CharTraits.cs, Parser.cs) and cited where it is used. As for bash and sh, the
 * lexer never guesses: where PowerShell's reading depends on something it does not model (notably
 * whether the parser is in command or expression mode), it refuses the template.
 *
 * Rules relied on (tokenizer.cs unless said otherwise):
 * - Single quotes are ' and U+2018–U+201B, double quotes " and U+201C–U+201E (CharTraits.cs
 *   IsSingleQuote, IsDoubleQuote); every scanner uses those sets.
 * - '…' (ScanStringLiteral): nothing is special but a single quote; two single quotes in a row
 *   (of any of the five kinds) stand for the second one.
 * - "…" (ScanStringExpandable): a double quote ends it unless another follows (then it stands for
 *   the second); ` escapes the next character (Backtick: `0 `a `b `e `f `n `r `t `v and `u{hex}
 *   are special, any other character stands for itself); $( $name ${…} expand; nothing else is
 *   special.
 * - $( inside "…", inside a bare word or inside a here-string (ScanSubExpression) is not lexed: its
 *   end is found by counting ( and ) alone, ignoring quotes, and outside here-strings a ` or double
 *   quote followed by a double quote is first merged into that double quote. The text is parsed
 *   only afterwards. So inside such a $(…) a value can carry no parentheses or double quotes.
 * - A bare word (ScanGenericToken) runs to the next character that ForceStartNewToken lists
 *   (CharTraits.cs: whitespace, newlines, NUL, & ( ) , ; { | }), taking in '…' and "…" parts; but a
 *   token that starts with a quote is a string token of its own, so 'a'b is two arguments
 *   (PowerShell/PowerShell#6467). Within a word that also expands $…, the text of '…' parts goes
 *   into a .NET format string without its braces doubled, unlike "…" parts.
 * - Comments: # and <# … #> where a token starts. Here-strings: @' or @" ending its line, up to a
 *   line starting with '@ or "@ (ScanHereStringLiteral, ScanHereStringExpandable).
 * - A [ that starts a token may begin a type literal (Parser.cs), whose name ScanTypeName reads with
 *   ` and # as name characters, and after a comma an assembly name (ScanAssemblyNameSpecToken)
 *   that runs to whitespace , = or ] with quotes as plain characters.
 * - --% (Parser.cs, CommandRule): a command argument whose value is --% makes the rest of the line,
 *   up to | or && outside double quotes, one verbatim argument (GetVerbatimCommandArgument).
 *   The check is on the token's value, so a word or string that becomes --% once values are filled
 *   in counts too.
 */



const AFTER_BACKTICK = () => 'directly follows a backtick, which would escape the quote put around its value. ' +
    'Remove the backtick.';
const IN_NESTED_SUBEXPRESSION = source => 'is inside a $(…) that is itself inside a "…" string or a word. PowerShell finds the end of ' +
    'such a $(…) by counting parentheses, quotes or not, so a value there is only safe inside "…". ' +
    `Write "${source}" there.`;
const IN_HERE_STRING = (spelling) => () => `is inside the here-string ${spelling}, which a line of the value could end. ` +
    'Use a "…" string instead (it may span lines), or $env:PARALLEL_ITEM.';
const IN_BRACED_VARIABLE = () => 'is inside ${…}, a variable name, which cannot depend on an item.';
const afterVariable = (name) => source => name.endsWith(':')
    ? `directly follows $${name}, so its value would name the variable, which cannot depend ` +
        'on an item.'
    : `directly follows the variable $${name}, so its value could become part of the ` +
        `variable's name. Write \${${name}}${source} instead.`;
const AFTER_STOP_PARSING = () => 'follows the stop-parsing token --% on its line, after which PowerShell passes the text on ' +
    'as it is, unquoted.';
const AFTER_MEMBER_DOT = source => 'directly follows `.`, where PowerShell reads a member name or a separate argument. ' +
    `Write (${source}) to use the value in an expression, or quote the whole word.`;
const adjacentTo = (what) => () => `directly follows ${what}; PowerShell would pass them as separate arguments. Put the whole ` +
    'word in one "…" string, or separate them with a space.';
const followedBy = (next) => source => `is directly followed by ${next}; PowerShell would read the quoted value and what follows as ` +
    `separate arguments or as a member access. Quote the whole word ("${source}…"), use ` +
    `(${source}) in an expression, or separate them with a space.`;
const MERGES_WITH_QUOTE = () => 'is directly next to a "…" part of the same word, which its quoted value would merge with. ' +
    'Put the whole word in one "…" string.';
const AFTER_AT = () => 'directly follows `@`, with which PowerShell reads a hashtable or script block, not a ' +
    'placeholder. Put the whole word in "…".';
const IN_TYPE_BRACKETS = () => 'is inside […] at the start of a word, which PowerShell may read as a type name, where quotes ' +
    'are plain characters. Assign the value to a variable first, or move it out of the brackets.';
const IN_EXPANDABLE_WORD = source => "is inside '…' in a word that PowerShell also expands ($…), where braces in its value would " +
    `be read as format items. Write "${source}" for that part instead.`;
const DOUBLED_QUOTES = 'Doubled quotes ("" or `") inside a $(…) that is inside a "…" string or a word are merged by ' +
    'PowerShell before the $(…) is read; write the inner string with single quotes, or assign it ' +
    'to a variable first';
const NONE = { kind: 'none' };
/**
 * Lexes a command template for pwsh into literal text and placeholders, each with the quoting
 * context its value needs. Throws ShellSyntaxError for text it cannot classify with certainty and
 * for placeholders in contexts where no quoting is safe.
 */
function lexPwshScript(template, matchPlaceholder) {
    const nul = template.indexOf('\0');
    if (nul !== -1) {
        throw new ShellSyntaxError(`The template contains a NUL character (${describePosition(template, nul)}).`);
    }
    const lexer = new PwshLexer(template, matchPlaceholder, 0, template.length);
    lexer.lexScript();
    return lexer.result();
}
class PwshLexer {
    source;
    matchPlaceholder;
    end;
    index;
    /** Unscanned $(…) subexpressions around the current position (see the file comment). */
    depth = 0;
    /** The here-string around the current position, if any. */
    hereString;
    /**
     * Unclosed [ in this statement list since a [ that started a token: a possible type literal,
     * read without quotes (see the file comment).
     */
    typeBrackets = 0;
    found = [];
    guards = [];
    constructor(source, matchPlaceholder, start, end) {
        this.source = source;
        this.matchPlaceholder = matchPlaceholder;
        this.end = end;
        this.index = start;
    }
    /**
     * Called with each span of literal string content read (the inside of '…', and of "…" between
     * its expansions): a subclass that wants the spans overrides it.
     */
    literalContent(_start, _end) { }
    lexScript() {
        this.lexStatements(undefined, this.index);
    }
    result() {
        const found = [...this.found].sort((a, b) => a.index - b.index);
        const parts = [];
        const partOf = new Map();
        let at = 0;
        for (const placeholder of found) {
            if (placeholder.index > at) {
                parts.push({ kind: 'text', text: this.source.slice(at, placeholder.index) });
            }
            partOf.set(placeholder.index, parts.length);
            parts.push({
                kind: 'placeholder',
                source: this.source.slice(placeholder.index, placeholder.index + placeholder.length),
                index: placeholder.index,
                context: placeholder.context
            });
            at = placeholder.index + placeholder.length;
        }
        if (at < this.source.length)
            parts.push({ kind: 'text', text: this.source.slice(at) });
        const guards = this.guards.map(pieces => ({
            pieces: pieces.map(piece => typeof piece === 'string' ? piece : (partOf.get(piece.at) ?? -1))
        }));
        return { parts, guards };
    }
    // Reading
    peek(offset = 0) {
        const at = this.index + offset;
        return at < this.end ? this.source[at] : undefined;
    }
    take(length = 1) {
        this.index += length;
    }
    // Errors
    fail(index, message) {
        throw new ShellSyntaxError(`${message} (${describePosition(this.source, index)}).`);
    }
    failPlaceholder(index, match, reason) {
        const source = this.source.slice(index, index + match.length);
        throw new ShellSyntaxError(`Placeholder ${source} (${describePosition(this.source, index)}) ${reason(source)}`);
    }
    // Placeholders
    placeholderAt(index) {
        // `${` is always a variable and `@{` always a hashtable, as `${…}` is in bash.
        if (index >= this.end || this.source[index] !== '{')
            return undefined;
        const before = this.source[index - 1];
        if (before === '$' || before === '@')
            return undefined;
        const match = this.matchPlaceholder(this.source, index);
        if (match === undefined || index + match.length > this.end)
            return undefined;
        return match;
    }
    record(match, context) {
        this.found.push({ index: this.index, length: match.length, context });
        this.take(match.length);
    }
    /** A placeholder inside '…', "…" or a here-string. */
    quotedPlaceholder(match, context, guard) {
        if (match.numeric) {
            killGuard(guard);
            this.record(match, 'raw');
            return;
        }
        if (this.hereString !== undefined) {
            this.failPlaceholder(this.index, match, IN_HERE_STRING(this.hereString));
        }
        if (this.depth > 0 && context === 'single') {
            this.failPlaceholder(this.index, match, IN_NESTED_SUBEXPRESSION);
        }
        guard.pieces.push({ at: this.index });
        this.record(match, context === 'double' && this.depth > 0 ? 'nestedDouble' : context);
    }
    /** A placeholder outside quotes; returns the token state after it. */
    barePlaceholder(state, match) {
        const start = this.index;
        const after = start + match.length;
        const next = after < this.end ? this.source[after] : undefined;
        const nextPlaceholder = this.placeholderAt(after) !== undefined;
        if (state.kind === 'closed')
            this.failPlaceholder(start, match, adjacentTo(state.what));
        if (match.numeric) {
            if (state.kind === 'word') {
                const word = state.word;
                if (word.ban !== undefined)
                    this.failPlaceholder(start, match, word.ban);
                if (word.afterName !== undefined) {
                    this.failPlaceholder(start, match, afterVariable(word.afterName));
                }
                killGuard(word.guard);
                word.afterVariable = false;
                word.lastDoubleQuoted = false;
                word.lastPlaceholder = false;
                this.record(match, 'raw');
                return state;
            }
            // At the start of a token digits before > or < would become a stream number (2>file):
            // quote them, so the value's meaning does not depend on which number it is.
            if (next === '>' || next === '<') {
                this.record(match, 'bare');
                return { kind: 'closed', what: 'a quoted number' };
            }
            this.record(match, 'raw');
            return { kind: 'word', word: newWord('generic', start, deadGuard()) };
        }
        if (this.hereString !== undefined) {
            this.failPlaceholder(start, match, IN_HERE_STRING(this.hereString));
        }
        if (this.depth > 0)
            this.failPlaceholder(start, match, IN_NESTED_SUBEXPRESSION);
        if (this.typeBrackets > 0)
            this.failPlaceholder(start, match, IN_TYPE_BRACKETS);
        if (state.kind === 'none') {
            if (nextPlaceholder)
                this.failPlaceholder(start, match, followedBy('another placeholder'));
            if (!this.endsStandaloneToken(after)) {
                this.failPlaceholder(start, match, followedBy(`\`${next}\``));
            }
            this.guards.push([{ at: start }]);
            this.record(match, 'bare');
            return { kind: 'closed', what: 'a quoted value' };
        }
        const word = state.word;
        if (word.ban !== undefined)
            this.failPlaceholder(start, match, word.ban);
        if (word.lastPlaceholder || nextPlaceholder) {
            this.failPlaceholder(start, match, followedBy('another placeholder'));
        }
        if (word.lastDoubleQuoted || isDoubleQuote(next)) {
            this.failPlaceholder(start, match, MERGES_WITH_QUOTE);
        }
        word.guard.pieces.push({ at: start });
        // The quote put around the value makes a parameter token a bare word (ScanParameter).
        if (word.kind === 'parameter')
            word.kind = 'generic';
        word.afterVariable = false;
        word.afterName = undefined;
        word.lastPlaceholder = true;
        this.record(match, 'word');
        return state;
    }
    /** After a '…' token standing alone, whether the character at `at` ends it cleanly. */
    endsStandaloneToken(at) {
        if (at >= this.end)
            return true;
        const char = this.source[at];
        if (isWhitespace(char) || isNewline(char) || ';)}|&,]<>#'.includes(char))
            return true;
        if (char === '`') {
            // A line continuation, or a backtick before whitespace, which is skipped.
            const after = at + 1 < this.end ? this.source[at + 1] : undefined;
            return isDotnetWhitespace(after);
        }
        return false;
    }
    // Statements and tokens
    /** Lexes a statement list up to and including its closer (or to the end when there is none). */
    lexStatements(closer, openIndex) {
        // Inside (…), {…} and $(…) PowerShell parses expressions and commands again, even within a
        // type literal's brackets (attribute arguments).
        const typeBrackets = this.typeBrackets;
        this.typeBrackets = 0;
        let state = NONE;
        for (;;) {
            if (this.index >= this.end) {
                if (state.kind === 'word')
                    this.endWordAt(state.word);
                if (closer !== undefined) {
                    this.fail(openIndex, closer === ')' ? 'Unterminated (…)' : 'Unterminated {…}');
                }
                this.typeBrackets = typeBrackets;
                return;
            }
            const match = this.placeholderAt(this.index);
            if (match !== undefined) {
                state = this.barePlaceholder(state, match);
                continue;
            }
            if (state.kind === 'word') {
                if (this.continueWord(state.word))
                    continue;
                state = NONE;
                continue;
            }
            const next = this.startToken(state, closer);
            if (next === 'end') {
                this.typeBrackets = typeBrackets;
                return;
            }
            state = next;
        }
    }
    /** Refuses what a type name or assembly name would read differently from a command. */
    checkTypeBrackets(char, next) {
        if (this.typeBrackets === 0)
            return;
        const quote = isQuote(char) || (char === '@' && isQuote(next));
        if (quote || char === '`' || char === '#' || (char === '<' && next === '#')) {
            this.fail(this.index, `\`${quote ? 'A quote' : char === '`' ? 'A backtick' : '#'}\` inside […] at the start of a word: ` +
                'PowerShell may read the brackets as a type name, where quotes, backticks and # are ' +
                'plain characters; move it out of the brackets');
        }
    }
    /** Counts [ and ] while inside a possible type literal, or from a [ that starts a token. */
    countBracket(char, startsToken) {
        if (char === '[' && (startsToken || this.typeBrackets > 0))
            this.typeBrackets++;
        else if (char === ']' && this.typeBrackets > 0)
            this.typeBrackets--;
    }
    /** At a word's character: consumes it and returns true, or ends the word and returns false. */
    continueWord(word) {
        const char = this.peek();
        const next = this.peek(1);
        if (forcesNewToken(char)) {
            this.endWordAt(word);
            return false;
        }
        this.checkTypeBrackets(char, next);
        if (word.kind === 'parameter' && this.endsParameter(word, char))
            return false;
        this.refuseAmbiguousInWord(char, next);
        if (word.kind === 'parameter') {
            // Every other character, $ included, is part of the parameter's name.
            appendGuard(word.guard, char);
            this.take();
            return true;
        }
        if (char === '`') {
            this.escapedInWord(word);
            this.continued(word);
        }
        else if (isSingleQuote(char)) {
            this.lexSingleQuotes(word.guard, word);
            this.continued(word);
        }
        else if (isDoubleQuote(char)) {
            this.doubleQuotedInWord(word);
        }
        else if (char === '$') {
            const name = this.lexDollarInWord(word);
            this.continued(word);
            word.afterName = name;
        }
        else {
            this.plainInWord(word, char, next);
        }
        return true;
    }
    /**
     * ScanParameter: `:` ends a parameter and its argument follows; `.` and `[` end it; a quote
     * turns it into a bare word. True when the parameter ended.
     */
    endsParameter(word, char) {
        if (char === ':') {
            this.take();
            this.endWordAt(word);
            return true;
        }
        if (char === '.' || char === '[') {
            this.endWordAt(word);
            return true;
        }
        if (char === '`') {
            // In a command a backtick is part of a parameter's name; in an expression it escapes
            // the next character.
            this.fail(this.index, 'A backtick inside a parameter name is read differently in commands and expressions; ' +
                'quote the word');
        }
        if (isQuote(char))
            word.kind = 'generic';
        return false;
    }
    /** Refuses what PowerShell reads differently inside a word depending on the parser's mode. */
    refuseAmbiguousInWord(char, next) {
        if (char === '#' || (char === '<' && next === '#')) {
            // In a command, # inside a word is text; in an expression it starts a comment.
            this.fail(this.index, `\`${char === '#' ? '#' : '<#'}\` directly after other text is a comment in some PowerShell ` +
                'contexts and part of the word in others; put a space before a comment, or quote the text');
        }
        if (char === '@' && isQuote(next)) {
            this.fail(this.index, '`@` followed by a quote inside a word starts a here-string in some PowerShell contexts; ' +
                'quote the whole word');
        }
        if (char === '@' && next === '{') {
            // placeholderAt never sees a placeholder after @: @{ is a hashtable or script block.
            const match = this.matchPlaceholder(this.source, this.index + 1);
            if (match !== undefined)
                this.failPlaceholder(this.index + 1, match, AFTER_AT);
        }
    }
    /** A backtick escape inside a word; a placeholder right after it is refused. */
    escapedInWord(word) {
        const placeholder = this.placeholderAt(this.index + 1);
        if (placeholder !== undefined) {
            this.failPlaceholder(this.index + 1, placeholder, AFTER_BACKTICK);
        }
        const escape = this.escapeAt(this.index);
        if (escape === undefined) {
            this.fail(this.index, 'The template ends with a backtick that escapes nothing');
        }
        appendGuard(word.guard, escape.text);
        this.take(escape.length);
    }
    /** A "…" part of a word. */
    doubleQuotedInWord(word) {
        if (word.lastPlaceholder) {
            // Unreachable: barePlaceholder refuses a placeholder before a double quote.
            this.fail(this.index, 'A quoted value would merge with this "…"');
        }
        if (this.lexDoubleQuotes(word.guard))
            word.expandable = true;
        this.continued(word);
        word.lastDoubleQuoted = true;
    }
    /** Any other character of a word; after a variable, `[` starts an index and `.` a member. */
    plainInWord(word, char, next) {
        if (word.afterVariable && char === '[') {
            // ScanVariable ends a variable at [, in commands too: an index follows ($a['k']), which is
            // not part of an expanded word. Start a new word with it.
            this.endWordAt(word);
            Object.assign(word, newWord('generic', this.index, deadGuard()));
        }
        if (word.afterVariable && (char === '.' || (char === ':' && next === ':'))) {
            // Member access on the variable ($x.Name, $x::Name).
            word.ban = AFTER_MEMBER_DOT;
        }
        this.countBracket(char, false);
        appendGuard(word.guard, char);
        this.take();
        this.continued(word);
    }
    continued(word) {
        word.afterVariable = false;
        word.afterName = undefined;
        word.lastDoubleQuoted = false;
        word.lastPlaceholder = false;
    }
    /** A $ inside a bare word (ScanDollarInStringExpandable); returns the variable name it read. */
    lexDollarInWord(word) {
        const next = this.peek(1);
        if (next === '(') {
            this.lexUnscannedSubexpression(false);
        }
        else if (next === '{') {
            this.lexBracedVariable(true);
        }
        else if (isVariableStart(next)) {
            const name = this.lexVariableName();
            word.expandable = true;
            killGuard(word.guard);
            return name;
        }
        else {
            appendGuard(word.guard, '$');
            this.take();
            return undefined;
        }
        word.expandable = true;
        killGuard(word.guard);
        return undefined;
    }
    /** Ends a word at the current index; handles a --% it turns out to be. */
    endWordAt(word) {
        if (word.expandable) {
            const [single] = word.singles;
            if (single !== undefined) {
                this.failPlaceholder(single, this.matchPlaceholder(this.source, single), IN_EXPANDABLE_WORD);
            }
            return;
        }
        if (this.finishGuard(word.guard, word.start, word.kind === 'generic'))
            this.lexStopParsing();
    }
    /**
     * Files a token's guard; returns true when the token is the plain stop-parsing token --%.
     * Other spellings of --% in the template itself ('--%', -`-%, --'%') are refused: whether
     * PowerShell stops parsing after them depends on what follows (Parser.cs, CommandRule).
     */
    finishGuard(guard, start, canBePlain) {
        if (!guard.viable)
            return false;
        if (guard.pieces.some(piece => typeof piece !== 'string')) {
            this.guards.push(guard.pieces);
            return false;
        }
        if (guard.literal !== STOP_PARSING)
            return false;
        if (canBePlain && this.source.slice(start, this.index) === STOP_PARSING) {
            if (this.depth > 0 || this.hereString !== undefined) {
                this.fail(start, 'The stop-parsing token --% is not supported inside $(…) within a string or word');
            }
            return true;
        }
        this.fail(start, 'Write the stop-parsing token as a plain --%; quoted or escaped forms of it are read inconsistently');
    }
    /**
     * After --%: the rest of the line, up to | or && outside double quotes, is passed on verbatim
     * (Tokenizer.GetVerbatimCommandArgument). No placeholder may stand anywhere on that line, and the
     * line must read the same, ending with nothing left open, whether or not PowerShell stops
     * parsing there (it does not in an expression), so that what follows is read the same either way.
     */
    lexStopParsing() {
        const source = this.source;
        const stopIndex = this.index - STOP_PARSING.length;
        let lineEnd = this.index;
        while (lineEnd < this.end && !isNewline(source[lineEnd]))
            lineEnd++;
        for (let at = this.index; at < lineEnd; at++) {
            const match = this.placeholderAt(at);
            if (match !== undefined)
                this.failPlaceholder(at, match, AFTER_STOP_PARSING);
        }
        let verbatimEnd = this.index;
        while (verbatimEnd < lineEnd && isWhitespace(source[verbatimEnd]))
            verbatimEnd++;
        let inQuotes = false;
        for (; verbatimEnd < lineEnd; verbatimEnd++) {
            const char = source[verbatimEnd];
            if (isDoubleQuote(char))
                inQuotes = !inQuotes;
            else if (!inQuotes && (char === '|' || (char === '&' && source[verbatimEnd + 1] === '&'))) {
                break;
            }
        }
        for (const start of new Set([this.index, verbatimEnd])) {
            try {
                new PwshLexer(source, this.matchPlaceholder, start, lineEnd).lexScript();
            }
            catch (error) {
                if (!(error instanceof ShellSyntaxError))
                    throw error;
                this.fail(stopIndex, 'Cannot tell how PowerShell reads the rest of the line after --%: it must read the same ' +
                    'with or without stop-parsing, leaving no string, bracket or comment open');
            }
        }
        this.index = verbatimEnd;
    }
    /** At the start of a token (state none or closed); returns the next state, or 'end' at the closer. */
    startToken(state, closer) {
        const start = this.index;
        const char = this.peek();
        const next = this.peek(1);
        if (isWhitespace(char) || isNewline(char)) {
            this.take();
            return NONE;
        }
        if (char === ')' || char === '}') {
            if (char !== closer)
                this.fail(start, `Unmatched \`${char}\``);
            this.take();
            return 'end';
        }
        this.checkTypeBrackets(char, next);
        return (this.punctuationToken(char, next, start) ??
            this.stringToken(char, start) ??
            (char === '@' ? this.atToken(next, start) : undefined) ??
            (char === '$' ? this.dollarToken(next, start) : undefined) ??
            (char === '`' ? this.backtickToken(next, start) : undefined) ??
            this.memberOrBracketToken(state, char, next, start) ??
            this.wordToken(char, next, start));
    }
    /** Comments, ( … ) and { … }, separators and redirections; undefined for anything else. */
    punctuationToken(char, next, start) {
        const source = this.source;
        if (char === '#') {
            // A comment: placeholders in it stay as they are, inert.
            while (this.index < this.end && !isNewline(source[this.index]))
                this.take();
            return NONE;
        }
        if (char === '<' && next === '#') {
            const close = source.indexOf('#>', start + 2);
            if (close === -1 || close + 2 > this.end)
                this.fail(start, 'Unterminated <# … #> comment');
            this.index = close + 2;
            return NONE;
        }
        if (char === '(' || char === '{') {
            this.take();
            this.lexStatements(char === '(' ? ')' : '}', start);
            return { kind: 'closed', what: char === '(' ? '`)`' : '`}`' };
        }
        if (char === ';' || char === ',' || char === '|' || char === '&') {
            this.take((char === '|' || char === '&') && next === char ? 2 : 1);
            return NONE;
        }
        if (char === '>' || char === '<') {
            this.take(char === '>' && next === '>' ? 2 : 1);
            return NONE;
        }
        if (/^[1-6*]$/.test(char) && next === '>') {
            // A redirection such as 2>, 2>>, 2>&1 or *>.
            this.take(2);
            if (this.peek() === '>')
                this.take();
            else if (this.peek() === '&' && /^[12]$/.test(this.peek(1) ?? ''))
                this.take(2);
            return NONE;
        }
        return undefined;
    }
    /** A '…' or "…" string standing at the start of a token; undefined for anything else. */
    stringToken(char, start) {
        if (isSingleQuote(char)) {
            const guard = newGuard();
            this.lexSingleQuotes(guard, undefined);
            this.finishStringGuard(guard, start);
            return { kind: 'closed', what: 'a quoted string' };
        }
        if (isDoubleQuote(char)) {
            const guard = newGuard();
            if (this.lexDoubleQuotes(guard))
                killGuard(guard);
            this.finishStringGuard(guard, start);
            return { kind: 'closed', what: 'a quoted string' };
        }
        return undefined;
    }
    /** After `@`: @( … ), @{ … }, a here-string or a splatted variable; undefined otherwise. */
    atToken(next, start) {
        if (next === '(' || next === '{') {
            this.take(2);
            this.lexStatements(next === '(' ? ')' : '}', start);
            return { kind: 'closed', what: next === '(' ? '`)`' : '`}`' };
        }
        if (isQuote(next)) {
            this.lexHereString();
            return { kind: 'closed', what: 'a here-string' };
        }
        if (isVariableStart(next)) {
            const word = newWord('variable', start, deadGuard());
            word.expandable = true;
            word.afterName = this.lexVariableName();
            word.afterVariable = true;
            return { kind: 'word', word };
        }
        return undefined;
    }
    /** After `$`: a subexpression or a variable; undefined otherwise. */
    dollarToken(next, start) {
        if (next === '(') {
            // At the start of a token $( is parsed at once, like ( (Tokenizer.NextToken).
            this.take(2);
            this.lexStatements(')', start);
            return { kind: 'closed', what: '`)`' };
        }
        if (next === '{' || isVariableStart(next)) {
            const word = newWord('variable', start, deadGuard());
            word.expandable = true;
            if (next === '{')
                this.lexBracedVariable(false);
            else
                word.afterName = this.lexVariableName();
            word.afterVariable = true;
            return { kind: 'word', word };
        }
        return undefined;
    }
    /** After a backtick: a line continuation, escaped white space, or a word that starts escaped. */
    backtickToken(next, start) {
        if (isNewline(next)) {
            // A line continuation.
            this.take(next === '\r' && this.peek(2) === '\n' ? 3 : 2);
            return NONE;
        }
        if (isDotnetWhitespace(next)) {
            this.take();
            return NONE;
        }
        const word = newWord('generic', start, newGuard());
        this.continueWord(word);
        return { kind: 'word', word };
    }
    /** Member access on what came before, or a bracket; undefined for anything else. */
    memberOrBracketToken(state, char, next, start) {
        if (state.kind === 'closed' && (char === '.' || (char === ':' && next === ':'))) {
            // Member access on what came before: ('a').Length, (Get-Date)::Now.
            const word = newWord('generic', start, deadGuard());
            word.ban = AFTER_MEMBER_DOT;
            appendGuard(word.guard, char);
            this.take();
            return { kind: 'word', word };
        }
        if (char === '.') {
            const match = this.placeholderAt(start + 1);
            if (match !== undefined)
                this.failPlaceholder(start + 1, match, AFTER_MEMBER_DOT);
        }
        if (char === '[' || char === ']') {
            // A [ after a closed token indexes it ('ab'[0], (x)[0]); one that starts a token may
            // start a type literal.
            this.countBracket(char, state.kind === 'none');
            const word = newWord('generic', start, newGuard());
            appendGuard(word.guard, char);
            this.take();
            return { kind: 'word', word };
        }
        return undefined;
    }
    /** A parameter (-Name) or a bare word. */
    wordToken(char, next, start) {
        const kind = isDash(char) && next !== undefined && /^[\p{L}_?]$/u.test(next) ? 'parameter' : 'generic';
        const word = newWord(kind, start, newGuard());
        if (kind === 'parameter') {
            appendGuard(word.guard, char);
            this.take();
            return { kind: 'word', word };
        }
        this.continueWord(word);
        return { kind: 'word', word };
    }
    /** Files the guard of a string token standing alone. */
    finishStringGuard(guard, start) {
        this.finishGuard(guard, start, false);
    }
    // Quotes, variables and subexpressions
    /** '…' (ScanStringLiteral); placeholders inside go to the word's list when in a word. */
    lexSingleQuotes(guard, word) {
        const open = this.index;
        this.take();
        for (;;) {
            const char = this.peek();
            if (char === undefined)
                this.fail(open, "Unterminated '…' string");
            const match = this.placeholderAt(this.index);
            if (match !== undefined) {
                if (!match.numeric)
                    word?.singles.push(this.index);
                this.quotedPlaceholder(match, 'single', guard);
                continue;
            }
            if (isSingleQuote(char)) {
                const next = this.peek(1);
                if (!isSingleQuote(next)) {
                    this.literalContent(open + 1, this.index);
                    this.take();
                    return;
                }
                appendGuard(guard, next);
                this.take(2);
                continue;
            }
            appendGuard(guard, char);
            this.take();
        }
    }
    /** "…" (ScanStringExpandable); returns whether it expands anything. */
    lexDoubleQuotes(guard) {
        const open = this.index;
        let expands = false;
        let segment = open + 1;
        this.take();
        for (;;) {
            const char = this.peek();
            if (char === undefined)
                this.fail(open, 'Unterminated "…" string');
            const match = this.placeholderAt(this.index);
            if (match !== undefined) {
                this.quotedPlaceholder(match, 'double', guard);
                continue;
            }
            if (isDoubleQuote(char)) {
                const next = this.peek(1);
                if (!isDoubleQuote(next)) {
                    this.literalContent(segment, this.index);
                    this.take();
                    return expands;
                }
                appendGuard(guard, next);
                this.take(2);
            }
            else if (char === '`') {
                const escape = this.escapeInString(open, 'Unterminated "…" string');
                appendGuard(guard, escape);
            }
            else if (char === '$') {
                const dollar = this.index;
                if (this.lexDollarInString(false)) {
                    this.literalContent(segment, dollar);
                    segment = this.index;
                    expands = true;
                    killGuard(guard);
                }
                else {
                    appendGuard(guard, '$');
                }
            }
            else {
                appendGuard(guard, char);
                this.take();
            }
        }
    }
    /** A backtick escape inside "…" or @"…"@; returns what it stands for. */
    escapeInString(open, unterminated) {
        const match = this.placeholderAt(this.index + 1);
        if (match !== undefined)
            this.failPlaceholder(this.index + 1, match, AFTER_BACKTICK);
        const escape = this.escapeAt(this.index);
        if (escape === undefined)
            this.fail(open, unterminated);
        this.take(escape.length);
        return escape.text;
    }
    /**
     * A $ inside "…" or a here-string (ScanDollarInStringExpandable); returns whether it expands.
     * A placeholder may not follow a variable name there: its value would extend the name.
     */
    lexDollarInString(hereString) {
        const next = this.peek(1);
        if (next === '(') {
            this.lexUnscannedSubexpression(hereString);
            return true;
        }
        if (next === '{') {
            this.lexBracedVariable(true);
            return true;
        }
        if (isVariableStart(next)) {
            const name = this.lexVariableName();
            const match = this.placeholderAt(this.index);
            if (match !== undefined && name !== undefined) {
                this.failPlaceholder(this.index, match, afterVariable(name));
            }
            return true;
        }
        this.take();
        return false;
    }
    /**
     * An unbraced variable name after $ or @ (ScanVariable); returns the name, or undefined for the
     * one-character variables $$, $? and $^, which nothing can extend.
     */
    lexVariableName() {
        this.take();
        const first = this.peek();
        if (first === '$' || first === '?' || first === '^') {
            this.take();
            return undefined;
        }
        const start = this.index;
        for (;;) {
            const char = this.peek();
            if (char === undefined)
                break;
            if (char === ':') {
                if (this.peek(1) === ':')
                    break; // $a::b is static member access
            }
            else if (!/^[A-Za-z0-9_?]$/.test(char) &&
                !(char.charCodeAt(0) >= 128 && isLetterOrDigit(char))) {
                break;
            }
            this.take();
        }
        return this.source.slice(start, this.index);
    }
    /** ${…}: a variable name up to the first `}`; only ` escapes (ScanVariable). */
    lexBracedVariable(inString) {
        const open = this.index;
        this.take(2);
        for (;;) {
            const char = this.peek();
            if (char === undefined)
                this.fail(open, 'Unterminated ${…} variable name');
            if (char === '}') {
                this.take();
                return;
            }
            if (char === '{' || char === '`') {
                const at = char === '{' ? this.index : this.index + 1;
                const match = at < this.end ? this.matchPlaceholder(this.source, at) : undefined;
                if (match !== undefined)
                    this.failPlaceholder(at, match, IN_BRACED_VARIABLE);
                if (char === '{')
                    this.fail(this.index, 'A `{` inside ${…} must be escaped with a backtick');
                if (this.peek(1) === undefined)
                    this.fail(open, 'Unterminated ${…} variable name');
                this.take(2);
                continue;
            }
            // Inside a string, two double quotes stand for one; neither ends the string (ScanVariable).
            this.take(inString && isDoubleQuote(char) && isDoubleQuote(this.peek(1)) ? 2 : 1);
        }
    }
    /**
     * $( inside a string, a word or a here-string (ScanSubExpression): its end is the parenthesis
     * that balances it, quotes or not; then its text is lexed as statements. Doubled quotes, which
     * PowerShell merges first outside here-strings, are refused, so the text lexed is the text read.
     */
    lexUnscannedSubexpression(hereString) {
        const source = this.source;
        const open = this.index;
        let parentheses = 1;
        let close = open + 2;
        for (;; close++) {
            if (close >= this.end)
                this.fail(open, 'Unterminated $(…) subexpression');
            const char = source[close];
            if (char === '(') {
                parentheses++;
            }
            else if (char === ')') {
                if (--parentheses === 0)
                    break;
            }
            else if (!hereString &&
                (char === '`' || isDoubleQuote(char)) &&
                close + 1 < this.end &&
                isDoubleQuote(source[close + 1])) {
                this.fail(close, DOUBLED_QUOTES);
            }
        }
        const end = this.end;
        this.end = close;
        this.depth++;
        this.index = open + 2;
        this.lexStatements(undefined, open);
        this.depth--;
        this.end = end;
        this.index = close + 1;
    }
    /**
     * @'…'@ and @"…"@: the opening must end its line; the string ends at a line that starts with
     * the matching quote and @ (ScanHereStringLiteral, ScanHereStringExpandable).
     */
    lexHereString() {
        const open = this.index;
        const expandable = isDoubleQuote(this.source[open + 1]);
        const spelling = expandable ? '@"…"@' : "@'…'@";
        const quote = expandable ? '"' : "'";
        const neverClosed = `The here-string ${spelling} is never closed by a line starting with ${quote}@`;
        this.take(2);
        while (isWhitespace(this.peek()))
            this.take();
        const char = this.peek();
        if (!isNewline(char))
            this.fail(open, `The here-string opening @${quote} must end its line`);
        this.take(char === '\r' && this.peek(1) === '\n' ? 2 : 1);
        const closes = expandable ? isDoubleQuote : isSingleQuote;
        const outer = this.hereString;
        this.hereString = spelling;
        // Its value, as far as needed to tell whether it is --%; the line break before the closing
        // line is not part of it.
        const guard = newGuard();
        for (let firstLine = true;; firstLine = false) {
            // Only the start of a line can close it.
            if (closes(this.peek()) && this.peek(1) === '@')
                break;
            if (!firstLine)
                appendGuard(guard, '\n');
            for (;;) {
                const current = this.peek();
                if (current === undefined)
                    this.fail(open, neverClosed);
                if (isNewline(current)) {
                    this.take(current === '\r' && this.peek(1) === '\n' ? 2 : 1);
                    break;
                }
                const match = this.placeholderAt(this.index);
                if (match !== undefined) {
                    this.quotedPlaceholder(match, 'double', guard);
                }
                else if (expandable && current === '`') {
                    // An escaped line break does not start a line that could close the string.
                    appendGuard(guard, this.escapeInString(open, neverClosed));
                }
                else if (expandable && current === '$') {
                    if (this.lexDollarInString(true))
                        killGuard(guard);
                    else
                        appendGuard(guard, '$');
                }
                else {
                    appendGuard(guard, current);
                    this.take();
                }
            }
        }
        this.take(2);
        this.hereString = outer;
        this.finishGuard(guard, open, false);
    }
    /**
     * The backtick escape at `at` (Tokenizer.Backtick, ScanUnicodeEscape): its length and what it
     * stands for, or undefined when nothing follows the backtick.
     */
    escapeAt(at) {
        if (at + 1 >= this.end)
            return undefined;
        const char = this.source[at + 1];
        if (char === 'u') {
            const escape = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.source.slice(at + 2, Math.min(this.end, at + 10)));
            const code = escape === null ? Number.NaN : Number.parseInt(escape[1], 16);
            if (escape === null || code > 0x10ffff)
                this.fail(at, 'Invalid `u{…} escape');
            return {
                length: 2 + escape[0].length,
                text: code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code)
            };
        }
        const special = {
            '0': '\0',
            a: '\x07',
            b: '\b',
            e: '\x1b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
            v: '\v'
        };
        return { length: 2, text: special[char] ?? char };
    }
}
// Tokens that could become --%
function newGuard() {
    return { literal: '', pieces: [], viable: true };
}
function deadGuard() {
    return { literal: '', pieces: [], viable: false };
}
function killGuard(guard) {
    guard.viable = false;
}
function appendGuard(guard, text) {
    if (!guard.viable)
        return;
    guard.literal += text;
    if (guard.literal.length > STOP_PARSING.length || /[^-%]/.test(text)) {
        guard.viable = false;
        return;
    }
    guard.pieces.push(text);
}
function newWord(kind, start, guard) {
    return {
        kind,
        start,
        ban: undefined,
        afterVariable: false,
        afterName: undefined,
        lastDoubleQuoted: false,
        lastPlaceholder: false,
        expandable: false,
        singles: [],
        guard
    };
}

;// CONCATENATED MODULE: ./src/template/shell-arrays.ts
/**
 * Which variables a bash template may make arrays, found in its whole text (code strings for eval
 * or trap included): declare, typeset and local read a value that starts with `(` as an array
 * assignment, and expand it again, only when the variable already is an array.
 */
/**
 * Arrays bash sets up or fills itself (bash 5.2 manual, Shell Variables), and the default names of
 * mapfile and coproc.
 */
const BUILTIN_ARRAYS = new Set([
    'BASH_ALIASES',
    'BASH_ARGC',
    'BASH_ARGV',
    'BASH_CMDS',
    'BASH_LINENO',
    'BASH_REMATCH',
    'BASH_SOURCE',
    'BASH_VERSINFO',
    'COMP_WORDS',
    'COMPREPLY',
    'COPROC',
    'DIRSTACK',
    'FUNCNAME',
    'GROUPS',
    'MAPFILE',
    'PIPESTATUS'
]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_CHAR = /[A-Za-z0-9_]/;
// Commands that make arrays of the names they are given: declare, typeset and local with -a or
// -A, read with -a, and mapfile or readarray always; up to the end of the command.
const ARRAY_COMMAND = /(?<![A-Za-z0-9_-])(declare|typeset|local|read|mapfile|readarray|coproc)(?![A-Za-z0-9_-])([^;&|\n<>(){}]*)/g;
/** Whether `name` may be an array where the template declares it: see ArrayNames. */
function mayBeArray(name, arrays) {
    return arrays === 'any' || arrays.has(name) || BUILTIN_ARRAYS.has(name);
}
/** The names `source` may make arrays: name=(…), name+=(…), name[…], and the commands above. */
function findArrayNames(source) {
    const names = new Set();
    // name=( and name+=( : the word before, up to a blank or an operator.
    for (const match of source.matchAll(/\+?=\(/g)) {
        const before = /[^\s;&|()<>]*$/.exec(source.slice(0, match.index))?.[0] ?? '';
        const name = before.replace(/\[.*$/, '');
        if (!NAME.test(name))
            return 'any';
        names.add(name);
    }
    // name[ : a subscript, in an assignment, a declaration, read, printf -v or an expansion.
    for (const match of source.matchAll(/\[/g)) {
        const index = match.index;
        const previous = source[index - 1] ?? '';
        if ('}"\'`'.includes(previous) && previous !== '')
            return 'any';
        if (!NAME_CHAR.test(previous))
            continue;
        const name = /[A-Za-z_][A-Za-z0-9_]*$/.exec(source.slice(0, index))?.[0];
        if (name === undefined)
            continue;
        // $n[0] names no variable the template spells.
        if (source[index - name.length - 1] === '$')
            return 'any';
        names.add(name);
    }
    for (const match of source.matchAll(ARRAY_COMMAND)) {
        const [, command, rest] = match;
        const words = (rest ?? '')
            .trim()
            .split(/[ \t]+/)
            .filter(Boolean);
        const options = words.filter(word => word.startsWith('-') || word.startsWith('+'));
        const makesArrays = command === 'mapfile' ||
            command === 'readarray' ||
            command === 'coproc' ||
            options.some(option => (command === 'read' ? /^-[A-Za-z]*a/ : /^[-+][A-Za-z]*[aA]/).test(option));
        if (!makesArrays)
            continue;
        for (const word of words) {
            if (word.startsWith('-') || word.startsWith('+'))
                continue;
            const name = word.replace(/(?:\[.*)?(?:\+?=.*)?$/, '');
            if (NAME.test(name))
                names.add(name);
            else if (/[$`"'\\]/.test(word))
                return 'any';
        }
    }
    return names;
}

;// CONCATENATED MODULE: ./src/template/shell-hazards.ts
const IN_BACKTICKS = () => 'is inside backticks, where its value cannot be quoted safely. Use $(…) instead of backticks.';
const IN_PARAMETER_EXPANSION = source => 'is inside a parameter expansion ${…}, where its value cannot be quoted safely. ' +
    `Assign it to a variable first (value=${source}) and expand that.`;
const inArithmetic = (spelling) => source => `is inside arithmetic ${spelling}, where its value would be evaluated as code. ` +
    `Assign it to a variable first (n=${source}), check that it is a number, and use the variable.`;
const IN_SUBSCRIPT = source => 'is inside an array subscript name[…], which bash evaluates as arithmetic, so its value could ' +
    `run as code. Assign it to a variable first (key=${source}) and check it before using it.`;
const IN_LET = source => 'is an argument of let, which evaluates it as arithmetic, so its value could run as code. ' +
    `Assign it to a variable first (n=${source}) and check that it is a number.`;
const AFTER_BACKSLASH = () => 'directly follows a backslash, which would escape the quote put around its value. ' +
    'Remove the backslash.';
const inHereDocument = (operator) => source => `is inside the here-document ${operator}, where its value cannot be quoted safely. ` +
    `Pipe the value in instead (printf '%s\\n' ${source} | …) or use $PARALLEL_ITEM.`;
const IN_HERE_DOCUMENT_DELIMITER = () => 'is in a here-document delimiter, which cannot depend on an item. Use a fixed word such as EOF.';
const inConditional = (operator) => source => operator === '-v' || operator === '-R'
    ? `is inside [[ … ]] with ${operator}, which makes bash take an operand as a variable name ` +
        'and evaluate a subscript in it (name[…]) as arithmetic, so its value could run as code. ' +
        `Test a fixed variable name instead, or compare the value as a string ([[ ${source} == … ]]).`
    : `is inside [[ … ]] with ${operator}, which makes bash evaluate operands as arithmetic, so ` +
        'its value could run as code. Use [ … ] or test instead, which only accept plain numbers ' +
        `for ${operator}.`;
const inDuplication = (operator) => source => `is in the word after ${operator}, which bash reads a second time when it is not a file ` +
    'descriptor number, so its value could run as code. ' +
    (operator === '<&'
        ? `To read from a file, write <${source}.`
        : `To write to a file, write >${source} (and 2>&1 after it for both outputs).`);
const namesVariables = (command, hint) => source => `is an argument of ${command}, which can take it as a variable name, and bash evaluates a ` +
    `subscript in a name (name[…]) as arithmetic, so its value could run as code. ${hint(source)}`;
const runsAsCode = (command) => source => `is an argument of ${command}, which evaluates its arguments as shell code, so its value ` +
    `would run as code. Assign it to a variable first (value=${source}) and use "$value" in the ` +
    'code, in double quotes.';
const declarationFlags = (command, flags) => source => {
    const why = /^[-+][A-Za-z]*i/.test(flags)
        ? 'which makes bash evaluate the values assigned as arithmetic'
        : /^[-+][A-Za-z]*n/.test(flags)
            ? 'which makes bash use the value as a variable name (a nameref) and evaluate a ' +
                'subscript in it (name[…]) as arithmetic'
            : /^[-+][A-Za-z]*[aA]/.test(flags)
                ? 'which lets bash read a value that looks like (…) as an array assignment and ' +
                    'expand it again'
                : 'whose options come from an expansion and so could be -i or -n, which make bash ' +
                    'evaluate the value';
    const spelling = /^[-+]/.test(flags) ? `${command} ${flags}` : command;
    return (`is an argument of ${spelling}, ${why}, so its value could run as code. Assign it ` +
        `without attributes first (value=${source}) and check it before giving it any.`);
};
const inDeclarationName = (command) => source => `is part of the variable name in an argument of ${command}; bash evaluates a subscript in a ` +
    'name (name[…]) as arithmetic, so its value could run as code. Put it only after the = ' +
    `(${command} name=${source}).`;
const mayBecomeArrayAssignment = (command, builtin = command) => source => `starts the value of an assignment in ${command}: when the variable already is an array, ` +
    `bash's ${builtin} reads a value that looks like (…) as an array assignment, even quoted, ` +
    'and expands it again, so its value could run as code. Declare the variable first and ' +
    `assign it separately (${builtin} name; name=${source}), or put fixed text other than ( ` +
    'before it.';
const inDeclarationOptions = (command) => source => `is where ${command} reads its options and variable names: a value starting with - would ` +
    'be taken as options such as -i or -n, and bash evaluates a subscript in a name (name[…]) ' +
    'as arithmetic, so its value could run as code. Put it only after the = of an assignment ' +
    `(${command} name=${source}).`;
const IN_PRINTF_OPTIONS = source => 'is where printf reads its options, so a value starting with - would be taken as one, and ' +
    'with -v NAME bash evaluates a subscript in NAME (name[…]) as arithmetic, so its value could ' +
    `run as code. Give the format first: printf '%s' ${source}.`;
const IN_PRINTF_VARIABLE = () => 'is the variable name after printf -v, where bash evaluates a subscript (name[…]) as ' +
    'arithmetic, so its value could run as code. Use a fixed variable name.';
const inTestOperand = (command, operator) => source => operator === undefined
    ? `follows an argument of ${command} that could turn out to be -v or -R, which would make ` +
        `bash take it as a variable name and evaluate a subscript in it (name[…]) as arithmetic, ` +
        'so its value could run as code. Put a fixed operator before it, as in ' +
        `[ "$a" = ${source} ].`
    : `is the operand of ${operator} in ${command}, which makes bash take it as a variable name ` +
        'and evaluate a subscript in it (name[…]) as arithmetic, so its value could run as code. ' +
        `Test a fixed variable name instead, or compare the value as a string ([ ${source} = … ]).`;
const withAttributes = (declaration, position) => source => `is in a template that gives a variable the integer or nameref attribute (${declaration} at ` +
    `${position}): bash evaluates whatever is assigned to such a variable (by name=…, read, for, ` +
    'printf -v and others) as arithmetic or as a variable name, so its value could run as code. ' +
    `Drop the attribute, or check the value (value=${source}) before it reaches such a variable.`;
const assignsEvaluatingVariable = (variable, spelling, position) => source => `is in a template that assigns ${variable} a value that is not fixed text (${spelling} at ` +
    `${position}): bash evaluates whatever is assigned to ${variable} as arithmetic (by name=…, ` +
    'read, for, printf -v and others), where a subscript (name[…]) in the value runs commands, ' +
    `so its value could run as code. Use a variable of your own instead (value=${source}), or ` +
    `assign ${variable} only fixed numbers.`;
const assignsCodeVariable = (variable, spelling, position) => source => `is in a template that assigns ${variable} a value that is not fixed text (${spelling} at ` +
    `${position}): ${CODE_VARIABLES.get(variable) ?? 'bash expands it again later'}, where ` +
    '$(…) in the value runs as a command, so its value could run as code. Assign ' +
    `${variable} only fixed text, and let that text expand a variable of your own ` +
    `(value=${source}; ${variable}='… $value …').`;
const numberHazard = (hazard) => () => `is a number, and ${hazard}; it cannot be quoted here. Separate it from the text around it ` +
    '(write ${name} for a variable, or add a space), or assign it to a variable first (n=…) and ' +
    'use that.';
// [[ … ]] operators whose operands bash evaluates as arithmetic or as variable names with subscripts
// (all there are: test.c compares with arithcomp, and looks names up for -v and -R).
const ARITHMETIC_CONDITIONAL_OPERATORS = new Set([
    '-eq',
    '-ne',
    '-lt',
    '-le',
    '-gt',
    '-ge',
    '-v',
    '-R'
]);
/**
 * Variables bash gives the integer attribute itself, so whatever is assigned to them is evaluated
 * as arithmetic: from the variables bash 5.2 sets up (variables.c), each confirmed by assigning
 * a[$(touch file)]. EUID, PPID and UID are integers too, but read-only: assigning fails first.
 */
const EVALUATING_VARIABLES = new Set([
    'BASHPID',
    'HISTCMD',
    'OPTIND',
    'RANDOM',
    'SECONDS',
    'SRANDOM'
]);
/**
 * Variables whose value bash (or a shell it starts) expands again later, command substitutions
 * included, and when: found with bash 5.2 and dash by assigning $(touch file). PS3, TIMEFORMAT,
 * HISTTIMEFORMAT, BASH_XTRACEFD and the like are used without expansion (checked the same way).
 */
const CODE_VARIABLES = new Map([
    ['PS0', 'an interactive bash expands PS0 after reading each command'],
    ['PS1', 'an interactive shell expands PS1 for each prompt'],
    ['PS2', 'an interactive shell expands PS2 for each continuation prompt'],
    ['PS4', 'bash expands PS4 for each line it traces (set -x)'],
    ['PROMPT_COMMAND', 'an interactive bash runs PROMPT_COMMAND as a command before each prompt'],
    ['BASH_ENV', 'a bash started for a script or -c expands BASH_ENV to find its startup file'],
    ['ENV', 'an interactive sh, and bash in POSIX mode, expand ENV to find their startup file'],
    ['MAILPATH', 'an interactive bash expands the messages in MAILPATH when mail arrives']
]);
/** Variables the template may not assign anything but fixed text, for either reason above. */
function isGuardedVariable(name) {
    return EVALUATING_VARIABLES.has(name) || CODE_VARIABLES.has(name);
}
/** Builtins that assign to the variables they are given by name (printf only with -v). */
const ASSIGNING_COMMANDS = new Set(['read', 'mapfile', 'readarray', 'getopts', 'wait']);
/** The declaration builtins: their arguments are assignments or variable names. */
const DECLARATION_COMMANDS = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
/** Builtins whose arguments may all be variable names (or options that take one). */
const VARIABLE_NAME_COMMANDS = new Map([
    ['read', source => `Read into a fixed variable name instead (read -r line <<< ${source}).`],
    ['mapfile', () => 'Use a fixed array name (mapfile -t lines).'],
    ['readarray', () => 'Use a fixed array name (readarray -t lines).'],
    ['unset', () => 'Use fixed variable names with unset.'],
    ['getopts', () => 'Use a fixed variable name with getopts.'],
    ['wait', source => `Check process ids first (pid=${source}) and pass "$pid".`]
]);
/** Builtins that run their arguments as shell code, or expand them again. */
const CODE_COMMANDS = new Set(['eval', 'trap', 'compgen', 'complete']);
// Reserved words after which the next word is again the first word of a command.
const KEEP_COMMAND_POSITION = new Set([
    '!',
    '{',
    'if',
    'then',
    'else',
    'elif',
    'do',
    'while',
    'until'
]);

;// CONCATENATED MODULE: ./src/template/shell-syntax.ts
/**
 * Just enough bash and POSIX sh (dash) syntax to put untrusted values into a command template
 * safely: a lexer that finds each placeholder's quoting context (the quoting for each context and
 * the word splitting of `shell: none` are in shell-words.ts, the rules of where a value may not
 * stand in shell-hazards.ts).
 *
 * The lexer never guesses. A wrong guess about a context is an injection, so whatever it cannot
 * classify with certainty for both bash (4 or later) and dash is a ShellSyntaxError. It also
 * follows each simple command to its name, however spelled (\let, builtin let, x=1 let), to refuse
 * values where a builtin would evaluate them (let, read, declare -i, printf -v, [ -v, eval, …),
 * and where bash and dash read a template differently it refuses rather than pick one.
 */



/**
 * Lexes a command template for bash or POSIX sh into literal text and placeholders, each with the
 * quoting context its value needs. Throws ShellSyntaxError for text it cannot classify with
 * certainty and for placeholders in contexts where no quoting is safe.
 */
function lexScript(template, dialect, matchPlaceholder) {
    return new ScriptLexer(template, dialect, matchPlaceholder).lex();
}
// NAME=, NAME+= or NAME[…]= at the start of a word: an assignment before a command's name.
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const IN_COMMAND_NAME_SUBSTITUTION = () => "is inside an unquoted substitution that makes the command's name: its output would be split " +
    'into a command and its arguments, so the value could run as a command. Quote the ' +
    'substitution ("$(…)"), or pass the value as an argument.';
const UNKNOWN_COMMAND = () => "is an argument of a command whose name this template spells as a brace expansion, $'…' or " +
    '$"…", so it is not certain which command runs (let, read or eval would run its value as ' +
    'code). Write the command name as a plain word.';
function newCommand(kind) {
    return {
        stage: kind === 'group' ? 'other' : 'name',
        wrapper: undefined,
        name: undefined,
        unknownName: undefined,
        rule: { kind: 'none' }
    };
}
class ScriptLexer {
    source;
    dialect;
    matchPlaceholder;
    inHereDocumentBody;
    index = 0;
    literal = '';
    parts = [];
    frames = [];
    pendingHereDocuments = [];
    /** The text placeholders accepted so far. */
    textPlaceholders = [];
    /** The first declaration that gives a variable the integer or nameref attribute, if any. */
    attributes;
    /** The variables the template may make arrays, found once when a declaration needs them. */
    arrayNames;
    /** The first assignment of a value that is not fixed text to a guarded variable. */
    evaluatingAssignment;
    constructor(source, dialect, matchPlaceholder, 
    /** This lexer reads the body of an unquoted here-document, which `source` ends with. */
    inHereDocumentBody = false) {
        this.source = source;
        this.dialect = dialect;
        this.matchPlaceholder = matchPlaceholder;
        this.inHereDocumentBody = inHereDocumentBody;
    }
    lex() {
        this.lexFrame('script', undefined, 0);
        this.flushLiteral();
        // Code the lexer does not read as commands (strings for eval, trap, mapfile -C, a here-string
        // for source) can give attributes too: look for them in all the template's text.
        this.attributes ??= findAttributeDeclaration(this.source);
        // Whatever is assigned to an integer or nameref variable is evaluated, and values reach
        // variables in too many ways (name=…, read, for, $(…)) to follow: refuse text placeholders in
        // such a template altogether.
        const attributes = this.attributes;
        const placeholder = this.textPlaceholders[0];
        if (attributes !== undefined && placeholder !== undefined) {
            const reason = withAttributes(attributes.spelling, describePosition(this.source, attributes.index));
            this.failPlaceholder(placeholder.index, placeholder.source, reason(placeholder.source));
        }
        // The same for variables that are integers from the start (OPTIND, RANDOM, …), once the
        // template assigns one of them anything but fixed text.
        const assignment = this.evaluatingAssignment;
        if (assignment !== undefined && placeholder !== undefined) {
            const reason = (CODE_VARIABLES.has(assignment.variable) ? assignsCodeVariable : assignsEvaluatingVariable)(assignment.variable, assignment.spelling, describePosition(this.source, assignment.index));
            this.failPlaceholder(placeholder.index, placeholder.source, reason(placeholder.source));
        }
        return this.parts;
    }
    // Output
    emit(text) {
        this.literal += text;
    }
    /** Emits the next `length` characters as literal text. */
    take(length = 1) {
        this.literal += this.source.slice(this.index, this.index + length);
        this.index += length;
    }
    flushLiteral() {
        if (this.literal !== '')
            this.parts.push({ kind: 'text', text: this.literal });
        this.literal = '';
    }
    // Errors
    fail(index, message) {
        throw new ShellSyntaxError(`${message} (${describePosition(this.source, index)}).`);
    }
    failPlaceholder(index, source, reason) {
        throw new ShellSyntaxError(`Placeholder ${source} (${describePosition(this.source, index)}) ${reason}`);
    }
    // Placeholders
    placeholderAt(index) {
        // `${` is always the shell's own parameter expansion.
        if (this.source[index] !== '{' || this.source[index - 1] === '$')
            return undefined;
        return this.matchPlaceholder(this.source, index);
    }
    /**
     * Takes a placeholder at the current index if there is one; returns whether it did. `numbers`
     * says what a number's digits could run into where it stands; `contextStart` is where the
     * ${…} it stands in starts.
     */
    takePlaceholder(context, forbidden, numbers = context === 'single'
        ? 'literal'
        : context === 'double'
            ? 'quoted'
            : 'word', contextStart = 0) {
        const start = this.index;
        const match = this.placeholderAt(start);
        if (match === undefined)
            return false;
        const source = this.source.slice(start, start + match.length);
        const end = start + match.length;
        let quoting = context;
        if (match.numeric) {
            // Digits need no quoting, and raw they also work where quotes cannot go (arithmetic,
            // backticks); but they must not run into the text around them. In $'…' they could extend an
            // escape such as \1, so there they are always quoted.
            if (context !== 'ansiC') {
                const hazard = this.numberHazard(start, end, numbers, contextStart);
                if (hazard === undefined)
                    quoting = 'raw';
                else if (forbidden !== undefined || context === 'single') {
                    this.failPlaceholder(start, source, numberHazard(hazard)(source));
                }
            }
        }
        else {
            if (forbidden !== undefined)
                this.failPlaceholder(start, source, forbidden(source));
            const found = { source, index: start };
            this.textPlaceholders.push(found);
            for (const frame of this.frames) {
                frame.conditional?.placeholders.push(found);
                if (frame.inWord)
                    frame.wordPlaceholders.push(found);
            }
        }
        this.index = end;
        this.flushLiteral();
        this.parts.push({ kind: 'placeholder', source, index: start, context: quoting });
        return true;
    }
    /**
     * Why a number written as bare digits at start…end would not mean the same as the number
     * quoted, or undefined when it would.
     */
    numberHazard(start, end, rules, contextStart) {
        if (rules === 'literal')
            return undefined;
        const source = this.source;
        const before = source.slice(Math.max(0, start - 256), start);
        const after = source.slice(end, end + 2);
        if (before.endsWith('\\\n') || after === '\\\n') {
            return 'a line continuation next to it would join its digits to the text around them';
        }
        const variable = /\$[A-Za-z_][A-Za-z0-9_]*$/.exec(before)?.[0];
        if (variable !== undefined) {
            return `its digits would become part of the variable name ${variable}`;
        }
        const joins = /[A-Za-z0-9_]/.test(source[start - 1] ?? '') || /[A-Za-z0-9_]/.test(after[0] ?? '');
        switch (rules) {
            case 'quoted':
                return undefined;
            case 'word': {
                const next = after[0];
                if (next === '<' || next === '>') {
                    return `its digits before ${next} would be read as the file descriptor of a redirection`;
                }
                if (before.endsWith('..') || after === '..') {
                    return 'its digits next to .. could make a brace expansion {a..b}';
                }
                const word = /[^\s;&|()<>`]*$/.exec(before)?.[0] ?? '';
                if (word.includes('~'))
                    return 'its digits could become part of a tilde expansion ~…';
                return undefined;
            }
            case 'parameter': {
                const inside = source.slice(contextStart + 2, start);
                if (/^[#!]?[A-Za-z0-9_]*$/.test(inside)) {
                    return 'its digits would be part of the parameter name in ${…}';
                }
                // A subscript ${name[…]} and an offset ${name:…} are arithmetic; the word after :- and
                // the other operators is text.
                const arithmetic = /^[#!]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?:\[|:(?![-=?+]))/;
                if (arithmetic.test(inside) && joins) {
                    return 'its digits would join the name or number next to them';
                }
                return undefined;
            }
            case 'arithmetic':
                return joins ? 'its digits would join the name or number next to them' : undefined;
        }
    }
    failIfPlaceholderFollowsBackslash(backslashIndex) {
        const match = this.placeholderAt(backslashIndex + 1);
        if (match === undefined)
            return;
        const start = backslashIndex + 1;
        const source = this.source.slice(start, start + match.length);
        this.failPlaceholder(start, source, AFTER_BACKSLASH(source));
    }
    // Here-documents
    /** A newline that is not a command separator must not come before pending here-document bodies. */
    checkQuotedNewline() {
        const pending = this.pendingHereDocuments[0];
        if (pending !== undefined) {
            this.fail(pending.index, `The body of here-document ${pending.spelling} would start inside a quoted string or ` +
                'substitution that continues on the next line; finish that line first');
        }
    }
    readHereDocumentBodies(frame) {
        const pending = this.pendingHereDocuments;
        this.pendingHereDocuments = [];
        for (const hereDocument of pending) {
            if (hereDocument.frame !== frame) {
                this.fail(hereDocument.index, `The body of here-document ${hereDocument.spelling} would start inside a different ` +
                    'substitution or subshell than its command; keep them together');
            }
            this.readHereDocumentBody(hereDocument);
        }
    }
    readHereDocumentBody(hereDocument) {
        const { bodyEnd, delimiterEnd } = this.findHereDocumentEnd(hereDocument);
        if (hereDocument.quoted) {
            // Nothing in the body is expanded: numbers stand as they are.
            const forbidden = inHereDocument(hereDocument.spelling);
            while (this.index < bodyEnd) {
                if (!this.takePlaceholder('bare', forbidden, 'literal'))
                    this.take();
            }
        }
        else {
            this.lexUnquotedHereDocumentBody(hereDocument, bodyEnd);
        }
        this.take(delimiterEnd - this.index);
        if (this.source[this.index] === '\n')
            this.take();
    }
    /** Where the body ends (the start of the delimiter line) and where the delimiter line ends. */
    findHereDocumentEnd(hereDocument) {
        const source = this.source;
        const { delimiter, spelling } = hereDocument;
        for (let position = this.index;;) {
            if (position >= source.length) {
                this.fail(hereDocument.index, `Here-document ${spelling} is never closed by a line ${delimiter}`);
            }
            // bash compares the delimiter with the logical line: leading tabs removed for <<-, and
            // (when the delimiter is unquoted) lines ending in a backslash joined with the next.
            const lineStart = position;
            const lines = [];
            let logicalLine = '';
            let end = lineStart;
            for (;;) {
                const newline = source.indexOf('\n', end);
                const lineEnd = newline === -1 ? source.length : newline;
                let line = source.slice(end, lineEnd);
                lines.push(line);
                if (lines.length === 1 && hereDocument.stripTabs)
                    line = line.replace(/^\t+/, '');
                const continues = !hereDocument.quoted && newline !== -1 && /(?:^|[^\\])(?:\\\\)*\\$/.test(line);
                end = continues ? lineEnd + 1 : lineEnd;
                logicalLine += continues ? line.slice(0, -1) : line;
                if (!continues)
                    break;
            }
            // dash does not join the lines before comparing (and versions differ in how they treat
            // a backslash-newline there): refuse any line continuation that some reading could take
            // as the delimiter line.
            if (this.dialect === 'sh' && lines.length > 1 && couldBeDelimiter(lines, hereDocument)) {
                this.fail(lineStart, `A line of here-document ${spelling} ends with a backslash that joins it to the next, ` +
                    `and the lines could read as its delimiter ${delimiter}: bash and dash disagree on ` +
                    `where the body ends. Remove the backslash, quote the delimiter (<<'${delimiter}') ` +
                    'or use shell: bash');
            }
            if (logicalLine === delimiter)
                return { bodyEnd: lineStart, delimiterEnd: end };
            this.checkHereDocumentLine(hereDocument, logicalLine, lineStart);
            position = source[end] === '\n' ? end + 1 : end;
        }
    }
    /**
     * Lexes the body of a here-document with an unquoted delimiter (up to its delimiter line) as the
     * shells expand it: like the inside of "…", where $(…), `…` and ${…} are live. A substitution
     * must close before the delimiter line: bash ends the body there whatever is open, while dash
     * reads a $(…) on past it.
     */
    lexUnquotedHereDocumentBody(hereDocument, bodyEnd) {
        const body = new ScriptLexer(this.source.slice(0, bodyEnd), this.dialect, this.matchPlaceholder, true);
        body.index = this.index;
        try {
            body.lexHereDocumentText(inHereDocument(hereDocument.spelling));
        }
        catch (error) {
            if (!(error instanceof ShellSyntaxError) || !error.message.startsWith('Unterminated ')) {
                throw error;
            }
            throw new ShellSyntaxError(error.message.replace(/ \((line \d+, column \d+)\)\.$/, ` in the body of here-document ${hereDocument.spelling}: close it before the line ` +
                `${hereDocument.delimiter}, where bash ends the body while dash would read on ($1).`));
        }
        body.flushLiteral();
        this.flushLiteral();
        this.parts.push(...body.parts);
        this.textPlaceholders.push(...body.textPlaceholders);
        this.attributes ??= body.attributes;
        this.evaluatingAssignment ??= body.evaluatingAssignment;
        this.index = bodyEnd;
    }
    /** The text of an unquoted here-document's body, to the end of the source. */
    lexHereDocumentText(forbidden) {
        const source = this.source;
        while (this.index < source.length) {
            const char = source[this.index];
            if (char === '\\') {
                // A backslash escapes only $ ` \ and newline in a here-document.
                const next = source[this.index + 1];
                this.take(next !== undefined && '$`\\\n'.includes(next) ? 2 : 1);
            }
            else if (char === '$') {
                this.lexDollar(true, forbidden);
            }
            else if (char === '`') {
                this.lexBackticks();
            }
            else if (!this.takePlaceholder('double', forbidden)) {
                this.take();
            }
        }
    }
    /** Rejects a body line whose numbers could, once filled in, make it the delimiter line. */
    checkHereDocumentLine(hereDocument, logicalLine, lineStart) {
        let pattern = '';
        let hasNumber = false;
        for (let index = 0; index < logicalLine.length;) {
            const match = logicalLine[index] === '{' && logicalLine[index - 1] !== '$'
                ? this.matchPlaceholder(logicalLine, index)
                : undefined;
            if (match === undefined) {
                pattern += logicalLine[index].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
                index++;
                continue;
            }
            const placeholder = logicalLine.slice(index, index + match.length);
            if (!match.numeric) {
                const sourceIndex = this.source.indexOf(placeholder, lineStart);
                this.failPlaceholder(sourceIndex === -1 ? lineStart : sourceIndex, placeholder, inHereDocument(hereDocument.spelling)(placeholder));
            }
            pattern += '[0-9]+';
            hasNumber = true;
            index += match.length;
        }
        if (hasNumber && new RegExp(`^${pattern}$`).test(hereDocument.delimiter)) {
            this.fail(lineStart, `A line of here-document ${hereDocument.spelling} could become its delimiter once its ` +
                'numbers are filled in; choose a delimiter made of letters');
        }
    }
    lexHereDocumentOperator(frame) {
        const source = this.source;
        const operatorIndex = this.index;
        const stripTabs = source[this.index + 2] === '-';
        this.take(stripTabs ? 3 : 2);
        while (source[this.index] === ' ' || source[this.index] === '\t')
            this.take();
        const wordStart = this.index;
        let delimiter = '';
        let quoted = false;
        const failUnsupported = () => this.fail(operatorIndex, 'Here-document delimiters can only be plain or quoted words without $, ` or line continuations');
        const checkPlaceholder = (index) => {
            const match = this.placeholderAt(index);
            if (match === undefined)
                return;
            const placeholder = source.slice(index, index + match.length);
            this.failPlaceholder(index, placeholder, IN_HERE_DOCUMENT_DELIMITER(placeholder));
        };
        for (;;) {
            const char = source[this.index];
            if (char === undefined || /[ \t\n;&|<>()]/.test(char))
                break;
            checkPlaceholder(this.index);
            if (char === '\\') {
                const next = source[this.index + 1];
                if (next === undefined || next === '\n')
                    failUnsupported();
                checkPlaceholder(this.index + 1);
                delimiter += next;
                quoted = true;
                this.index += 2;
            }
            else if (char === "'" || char === '"') {
                const close = source.indexOf(char, this.index + 1);
                if (close === -1)
                    this.fail(this.index, `Unterminated ${char}…${char} quote`);
                const content = source.slice(this.index + 1, close);
                for (let index = this.index + 1; index < close; index++)
                    checkPlaceholder(index);
                if (char === '"' && /[\\$`]/.test(content))
                    failUnsupported();
                delimiter += content;
                quoted = true;
                this.index = close + 1;
            }
            else if (char === '$' || char === '`') {
                failUnsupported();
            }
            else {
                delimiter += char;
                this.index++;
            }
        }
        if (this.index === wordStart) {
            this.fail(operatorIndex, 'A here-document operator must be followed by a delimiter word');
        }
        const spelling = source.slice(operatorIndex, this.index);
        this.emit(source.slice(wordStart, this.index));
        this.pendingHereDocuments.push({
            delimiter,
            stripTabs,
            quoted,
            spelling,
            index: operatorIndex,
            frame
        });
    }
    // Command lists
    effectiveForbidden(frame) {
        if (frame.forbidden !== undefined)
            return frame.forbidden;
        if (frame.subscriptDepth > 0)
            return IN_SUBSCRIPT;
        // A redirection's target is not an argument of the command.
        if (frame.redirection !== undefined)
            return frame.redirection.forbidden;
        const rule = frame.command.rule;
        if (rule.kind === 'forbidden')
            return rule.forbidden;
        return undefined;
    }
    /** How a number's digits could run into what is around them at the frame's current word. */
    numberRules(frame) {
        const rule = frame.command.rule;
        const inLet = frame.redirection === undefined && rule.kind === 'forbidden' && rule.arithmetic;
        return frame.subscriptDepth > 0 || inLet ? 'arithmetic' : 'word';
    }
    /** Marks the start of a word part; plain is its text while the word stays plain. */
    wordPart(frame, plain) {
        if (!frame.inWord) {
            frame.inWord = true;
            frame.wordStart = this.index;
            frame.plainWord = '';
            frame.wordPlaceholders = [];
        }
        frame.plainWord = plain === undefined ? undefined : frame.plainWord?.concat(plain);
    }
    /**
     * After the end of a compound command (`)`, `}`, `fi`, `done`, `esac`, `]]`, `))`) and after a
     * loop's variable, bash and dash still read a reserved word (`if ( : ) then …`, `for x do …`,
     * `for ((…)) { …; }`): take the next word as a command's first, which is stricter either way.
     */
    reservedWordMayFollow(frame) {
        // Inside a parenthesized word (an array's elements) no command starts.
        frame.commandPosition = frame.kind !== 'group';
        frame.command = newCommand(frame.kind);
    }
    startCommand(frame) {
        frame.afterCommandName = false;
        frame.afterTime = undefined;
        frame.loopKeyword = undefined;
        frame.redirection = undefined;
        if (frame.conditional !== undefined || frame.enclosingConditional !== undefined)
            return;
        frame.commandPosition = true;
        frame.command = newCommand(frame.kind);
    }
    /**
     * The characters the shell makes of source[start, end) after quote removal, up to the first
     * expansion, placeholder or brace expansion.
     */
    literalText(start, end) {
        const source = this.source;
        let value = '';
        let quote;
        const stop = (why) => ({
            value,
            complete: false,
            stop: why
        });
        for (let index = start; index < end;) {
            const char = source[index];
            if (quote === "'") {
                if (char === "'")
                    quote = undefined;
                else
                    value += char;
                index++;
                continue;
            }
            if (char === '{' && this.placeholderAt(index) !== undefined)
                return stop('expansion');
            if (char === '\\') {
                const next = source[index + 1];
                if (next === undefined || index + 1 >= end)
                    return stop('expansion');
                // Inside "…" a backslash escapes only $ ` " \ and newline.
                if (next !== '\n')
                    value += quote === '"' && !'$`"\\'.includes(next) ? `\\${next}` : next;
                index += 2;
                continue;
            }
            if (char === '$') {
                const next = source[index + 1];
                return stop(quote === undefined && (next === "'" || next === '"') ? 'pattern' : 'expansion');
            }
            if (char === '`')
                return stop('expansion');
            if (char === '"') {
                quote = quote === undefined ? '"' : undefined;
                index++;
                continue;
            }
            if (quote === undefined) {
                if (char === "'") {
                    quote = "'";
                    index++;
                    continue;
                }
                if (char === '{')
                    return stop('pattern');
                if ('*?()'.includes(char) || (char === '~' && index === start))
                    return stop('expansion');
                if (char === '[' && source.slice(index + 1, end).includes(']'))
                    return stop('expansion');
            }
            value += char;
            index++;
        }
        return { value, complete: true, stop: undefined };
    }
    /** Notes an assignment to a guarded variable, unless what it assigns is fixed text. */
    noteAssignment(variable, fixed, spelling, index) {
        if (variable === undefined || fixed || !isGuardedVariable(variable))
            return;
        this.evaluatingAssignment ??= { variable, spelling, index };
    }
    /**
     * Notes an argument whose fixed text (quotes removed) starts NAME= for a guarded NAME, or holds
     * =NAME=, and whose value is not fixed text: env under any path or wrapper (nice, exec, xargs),
     * sudo, systemd-run --setenv= and others put it in the environment of a program they run.
     */
    noteEnvironmentArgument(command, start, end, literal) {
        const name = command.name ?? command.unknownName ?? 'a command';
        const named = /(?:^|=)([A-Za-z_][A-Za-z0-9_]*)=/.exec(literal.value);
        if (named !== null) {
            const variable = named[1];
            this.noteAssignment(variable, literal.complete, `${name} ${variable}=…`, start);
            return;
        }
        // The fixed text stops inside the name (PS$'4'=…, P${s}=…): it could still be a guarded one.
        const partial = /(?:^|=)([A-Za-z_][A-Za-z0-9_]*)$/.exec(literal.value)?.[1];
        if (literal.complete || partial === undefined || !this.source.slice(start, end).includes('=')) {
            return;
        }
        const variable = [...EVALUATING_VARIABLES, ...CODE_VARIABLES.keys()].find(guarded => guarded.startsWith(partial));
        this.noteAssignment(variable, false, `${name} ${this.source.slice(start, end)}`, start);
    }
    /** Follows the words of a simple command to its name, and checks the arguments it is given. */
    commandWord(frame, word, start, end, placeholders) {
        const command = frame.command;
        if (command.stage === 'other')
            return;
        const literal = this.literalText(start, end);
        if (command.stage === 'arguments') {
            if (command.name !== undefined && ASSIGNING_COMMANDS.has(command.name)) {
                // A variable name, or one glued to options (read -aRANDOM): data read in is assigned.
                const variable = literal.value.startsWith('-')
                    ? [...EVALUATING_VARIABLES, ...CODE_VARIABLES.keys()].find(name => literal.value.endsWith(name))
                    : literal.value;
                this.noteAssignment(variable, false, `${command.name} ${literal.value}`, start);
            }
            this.noteEnvironmentArgument(command, start, end, literal);
            if (command.unknownName !== undefined) {
                this.checkUnknownCommandArgument(command.unknownName, start, end, literal, placeholders);
            }
            this.checkArgument(command.rule, start, end, literal, placeholders);
            return;
        }
        if (frame.commandPosition && word !== undefined && RESERVED_WORDS.has(word)) {
            if (word === 'time')
                command.wrapper = word;
            else if (!KEEP_COMMAND_POSITION.has(word))
                command.stage = 'other';
            return;
        }
        const wrapper = command.wrapper;
        const text = this.source.slice(start, end);
        if ((wrapper === undefined || wrapper === 'time') && ASSIGNMENT.test(text)) {
            const variable = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0];
            const spelling = `${/^[^=]*=/.exec(text)?.[0] ?? ''}…`;
            this.noteAssignment(variable, literal.complete, spelling, start);
            return;
        }
        // Options of builtin, command (-p, -v, --) and time (-p): the name is still to come.
        if (wrapper !== undefined && literal.value.startsWith('-'))
            return;
        if (literal.complete && (literal.value === 'builtin' || literal.value === 'command')) {
            command.wrapper = literal.value;
            return;
        }
        const placeholder = placeholders[0];
        if (placeholder !== undefined && this.hasUnquotedSubstitution(start, end)) {
            this.failPlaceholder(placeholder.index, placeholder.source, IN_COMMAND_NAME_SUBSTITUTION(placeholder.source));
        }
        command.stage = 'arguments';
        command.name = literal.complete ? literal.value : undefined;
        command.unknownName = literal.complete ? undefined : text;
        command.rule = this.commandRule(literal, start);
    }
    /**
     * Whether source[start, end) has a command or process substitution outside double quotes,
     * whose output would be split into words (when unsure, true).
     */
    hasUnquotedSubstitution(start, end) {
        const source = this.source;
        let quote;
        for (let index = start; index < end; index++) {
            const char = source[index];
            if (quote === "'") {
                if (char === "'")
                    quote = undefined;
            }
            else if (char === '\\') {
                index++;
            }
            else if (char === '"') {
                quote = quote === undefined ? '"' : undefined;
            }
            else if (quote === undefined) {
                if (char === "'")
                    quote = "'";
                else if (char === '`' ||
                    ((char === '$' || char === '<' || char === '>') && source[index + 1] === '(')) {
                    return true;
                }
            }
        }
        return false;
    }
    commandRule(name, start) {
        if (!name.complete) {
            return name.stop === 'pattern'
                ? { kind: 'forbidden', forbidden: UNKNOWN_COMMAND, arithmetic: false }
                : { kind: 'none' };
        }
        const command = name.value;
        if (command === 'alias') {
            this.fail(start, 'Aliases can change how the rest of the command is read; use a function instead');
        }
        if (command === 'let')
            return { kind: 'forbidden', forbidden: IN_LET, arithmetic: true };
        const hint = VARIABLE_NAME_COMMANDS.get(command);
        if (hint !== undefined) {
            return { kind: 'forbidden', forbidden: namesVariables(command, hint), arithmetic: false };
        }
        if (CODE_COMMANDS.has(command)) {
            return { kind: 'forbidden', forbidden: runsAsCode(command), arithmetic: false };
        }
        if (DECLARATION_COMMANDS.has(command)) {
            return { kind: 'declaration', command, flags: undefined, optionsDone: false };
        }
        if (command === 'printf')
            return { kind: 'printf', optionsDone: false, variableNext: false };
        if (command === '[' || command === 'test') {
            return { kind: 'test', command: command === '[' ? '[ … ]' : 'test', previous: '' };
        }
        return { kind: 'none' };
    }
    /**
     * Checks an argument of a command whose name is not fixed text ($d, $(…), $'declare'), which
     * could be declare: an option such as -i or -n counts as a declaration's, and a placeholder at
     * the start of the value of a NAME=… argument is refused as in declare.
     */
    checkUnknownCommandArgument(spelling, start, end, literal, placeholders) {
        if (literal.complete && /^[-+][A-Za-z]*[in]/.test(literal.value)) {
            this.attributes ??= { spelling: `${spelling} ${this.source.slice(start, end)}`, index: start };
            return;
        }
        const first = placeholders[0];
        if (first === undefined)
            return;
        const prefix = this.literalText(start, first.index);
        const assignment = /^[A-Za-z_][A-Za-z0-9_]*(?:\[.*\])?\+?=/.test(prefix.value);
        // Its name unknown, the command could be `declare -a`: any variable may be an array.
        if (assignment && this.couldReadAsArrayValue('declare', start, prefix, false)) {
            const forbidden = mayBecomeArrayAssignment(`a command named ${spelling}`, 'declare');
            this.failPlaceholder(first.index, first.source, forbidden(first.source));
        }
    }
    /** Checks a whole argument word of a declaration, printf or test, in order. */
    checkArgument(rule, start, end, literal, placeholders) {
        const first = placeholders[0];
        const refuse = (forbidden) => {
            if (first !== undefined)
                this.failPlaceholder(first.index, first.source, forbidden(first.source));
        };
        // The fixed text before the first placeholder: could the word be an option?
        const prefix = first === undefined ? literal : this.literalText(start, first.index);
        const couldBeOption = prefix.value === '' || /^[-+]/.test(prefix.value);
        switch (rule.kind) {
            case 'none':
            case 'forbidden':
                return;
            case 'declaration': {
                if (!rule.optionsDone) {
                    if (literal.complete && literal.value === '--') {
                        rule.optionsDone = true;
                        return;
                    }
                    // The options, which stop at the first argument that is not one.
                    if (/^[-+]/.test(literal.value) || (!literal.complete && literal.value === '')) {
                        refuse(inDeclarationOptions(rule.command));
                        const known = literal.complete ? literal.value : undefined;
                        if (known === undefined || /^[-+][A-Za-z]*[inaA]/.test(known)) {
                            rule.flags ??= known ?? 'with options from an expansion';
                        }
                        if (rule.command !== 'export' &&
                            (known === undefined || /^[-+][A-Za-z]*[in]/.test(known))) {
                            this.attributes ??= {
                                spelling: `${rule.command} ${this.source.slice(start, end)}`,
                                index: start
                            };
                        }
                        return;
                    }
                    rule.optionsDone = true;
                }
                if (rule.flags !== undefined)
                    refuse(declarationFlags(rule.command, rule.flags));
                if (!prefix.value.includes('='))
                    refuse(inDeclarationName(rule.command));
                if (first !== undefined && this.couldReadAsArrayValue(rule.command, start, prefix)) {
                    refuse(mayBecomeArrayAssignment(rule.command));
                }
                const variable = /^[A-Za-z_][A-Za-z0-9_]*/.exec(literal.value)?.[0];
                this.noteAssignment(variable, literal.complete, `${rule.command} ${variable}=…`, start);
                return;
            }
            case 'printf': {
                if (rule.optionsDone)
                    return;
                if (rule.variableNext) {
                    rule.variableNext = false;
                    refuse(IN_PRINTF_VARIABLE);
                    this.noteAssignment(literal.value, false, `printf -v ${literal.value}`, start);
                    return;
                }
                if (couldBeOption)
                    refuse(IN_PRINTF_OPTIONS);
                const glued = /^-v(.+)$/.exec(literal.value)?.[1];
                this.noteAssignment(glued, false, `printf -v${glued}`, start);
                if (literal.complete && literal.value === '--')
                    rule.optionsDone = true;
                else if (literal.complete && literal.value === '-v')
                    rule.variableNext = true;
                else if (!/^-./.test(literal.value))
                    rule.optionsDone = true;
                return;
            }
            case 'test': {
                const previous = rule.previous;
                rule.previous = literal.complete ? literal.value : undefined;
                if (previous === '-v' || previous === '-R')
                    refuse(inTestOperand(rule.command, previous));
                if (previous === undefined)
                    refuse(inTestOperand(rule.command, undefined));
                return;
            }
        }
    }
    /**
     * Whether a declaration's assignment, whose fixed text up to its first placeholder is `prefix`,
     * could hand bash a value that starts with `(` from the item: declare, typeset and local read
     * such a value, even quoted, as an array assignment when the variable already is an array, and
     * expand it again (export and readonly do not, in bash 5.2). An unquoted `name=(` is an array
     * assignment already, whose elements are words.
     */
    couldReadAsArrayValue(command, start, prefix, commandFixed = true) {
        if (command === 'export' || command === 'readonly')
            return false;
        const name = ASSIGNMENT.exec(this.source.slice(start, start + 256))?.[0];
        if (name !== undefined && this.source[start + name.length] === '(')
            return false;
        const value = prefix.value.slice(prefix.value.indexOf('=') + 1);
        if (value !== '' && !value.startsWith('('))
            return false;
        // Only an array reads it so: one the template may make, or one bash makes itself.
        const variable = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[|\+?=)/.exec(prefix.value)?.[1];
        this.arrayNames ??= findArrayNames(this.source);
        return !commandFixed || variable === undefined || mayBeArray(variable, this.arrayNames);
    }
    /** Ends the current word; `ioNumber` when it is the file descriptor of a redirection (2>…). */
    finishWord(frame, ioNumber = false) {
        if (!frame.inWord)
            return;
        frame.inWord = false;
        frame.subscriptDepth = 0;
        const word = frame.plainWord;
        const wordStart = frame.wordStart;
        const placeholders = frame.wordPlaceholders;
        const redirectionTarget = frame.redirection !== undefined;
        frame.redirection = undefined;
        const statement = frame.cases.at(-1);
        if (this.caseWord(frame, statement, word))
            return;
        if (this.conditionalWord(frame, word))
            return;
        if (this.loopVariable(frame, wordStart))
            return;
        if (frame.afterFunctionKeyword) {
            // The name after `function`; the function's body follows, maybe after `()` (also
            // written apart from the name: `function f () [[ … ]]`).
            frame.afterFunctionKeyword = false;
            frame.afterCommandName = true;
            frame.commandPosition = true;
            frame.command = newCommand(frame.kind);
            return;
        }
        if (this.timePrefixWord(frame, word))
            return;
        if (!redirectionTarget && !ioNumber) {
            this.commandWord(frame, word, wordStart, this.index, placeholders);
        }
        frame.afterCommandName = false;
        if (!frame.commandPosition)
            return;
        frame.commandPosition = false;
        if (word !== undefined)
            this.commandPositionWord(frame, word, wordStart, statement);
    }
    /** A word of `case WORD in PATTERN)` outside the bodies; true when it was one. */
    caseWord(frame, statement, word) {
        switch (statement?.state) {
            case 'subject':
                statement.state = 'in';
                return true;
            case 'in':
                if (word !== 'in')
                    this.fail(this.index, 'Expected `in` after `case WORD`');
                statement.state = 'patternStart';
                return true;
            case 'patternStart':
                if (word === 'esac') {
                    // bash and dash both end the statement here, even before `)`.
                    frame.cases.pop();
                    this.reservedWordMayFollow(frame);
                    return true;
                }
                statement.state = 'pattern';
                return true;
            case 'pattern':
                return true;
            case 'body':
            case undefined:
                return false;
        }
    }
    /**
     * A word inside [[ … ]], also inside its ( … ) groups at any depth: && and || and ! there join
     * conditions, so an operator in a group applies to operands just like one outside. True when
     * the word was inside one.
     */
    conditionalWord(frame, word) {
        const conditional = frame.conditional ?? frame.enclosingConditional;
        if (conditional === undefined)
            return false;
        if (word === ']]' && frame.conditional === undefined) {
            this.fail(this.index - word.length, '`]]` inside ( … ) of [[ … ]]: close the ( first');
        }
        else if (word === ']]') {
            frame.conditional = undefined;
            this.reservedWordMayFollow(frame);
            const placeholder = conditional.placeholders[0];
            if (conditional.arithmeticOperator !== undefined && placeholder !== undefined) {
                this.failPlaceholder(placeholder.index, placeholder.source, inConditional(conditional.arithmeticOperator)(placeholder.source));
            }
        }
        else if (word !== undefined && ARITHMETIC_CONDITIONAL_OPERATORS.has(word)) {
            conditional.arithmeticOperator ??= word;
        }
        else if (word === 'case') {
            this.fail(this.index - word.length, '`case` inside [[ … ]] is not supported');
        }
        return true;
    }
    /** The variable of `for NAME in …` or `select NAME in …`, which each value is assigned to. */
    loopVariable(frame, wordStart) {
        if (frame.loopKeyword === undefined)
            return false;
        const variable = this.literalText(wordStart, this.index).value;
        this.noteAssignment(variable, false, `${frame.loopKeyword} ${variable}`, wordStart);
        frame.loopKeyword = undefined;
        // `in`, or `do` at once (`for x do …`), which bash and dash read as reserved words.
        frame.afterCommandName = false;
        this.reservedWordMayFollow(frame);
        return true;
    }
    /**
     * A word right after `time` (or `time -p`): bash's parser reads `-p` right after `time`, then
     * `--` right after `time` or `time -p`, as part of `time` (parse.y: TIMEOPT, TIMEIGN); the next
     * word still starts the command. Quoted or escaped they are words. For sh, the same words are
     * followed so that a reserved word after them is refused as after `time` itself. True when the
     * word belonged to `time`.
     */
    timePrefixWord(frame, word) {
        const afterTime = frame.afterTime;
        if (afterTime === undefined)
            return false;
        frame.afterTime = undefined;
        if (this.dialect === 'sh' && word !== undefined && RESERVED_WORDS.has(word)) {
            this.fail(this.index - word.length, `\`time ${word}\`: time is a reserved word in bash but a command in dash, so the shells ` +
                'read the rest differently; use shell: bash');
        }
        if (word === '-p' && afterTime === 'time') {
            frame.afterTime = 'option';
            return true;
        }
        if (word === '--') {
            if (this.dialect === 'sh')
                frame.afterTime = 'option';
            else
                frame.commandPosition = true;
            return true;
        }
        return false;
    }
    /** A word where a command starts: a reserved word opens or closes a compound command. */
    commandPositionWord(frame, word, wordStart, statement) {
        if (word === 'case') {
            frame.cases.push({ state: 'subject' });
        }
        else if (word === 'esac' && statement?.state === 'body') {
            frame.cases.pop();
            this.reservedWordMayFollow(frame);
        }
        else if (word === '}' || word === 'fi' || word === 'done') {
            this.reservedWordMayFollow(frame);
        }
        else if (word === '[[') {
            if (this.dialect === 'sh') {
                this.fail(wordStart, '`[[ … ]]` is bash syntax: dash runs `[[` as a command and reads the rest of the line ' +
                    'differently (a `<<` there starts a here-document). Use [ … ] or test, or shell: bash');
            }
            frame.conditional = { arithmeticOperator: undefined, placeholders: [] };
        }
        else if (word === 'for' || word === 'select') {
            frame.loopKeyword = word;
        }
        else if (word === 'coproc') {
            this.fail(this.index - word.length, 'coproc is not supported in command templates');
        }
        else if (word === 'function') {
            if (this.dialect === 'sh') {
                this.fail(this.index - word.length, '`function` is bash syntax; write name() { …; } instead');
            }
            frame.afterFunctionKeyword = true;
        }
        else if (word === 'time') {
            // bash reads the next word as the start of a command; dash runs the time program.
            frame.afterTime = 'time';
            if (this.dialect === 'bash')
                frame.commandPosition = true;
        }
        else if (KEEP_COMMAND_POSITION.has(word)) {
            frame.commandPosition = true;
        }
        else if (!RESERVED_WORDS.has(word) && !word.includes('=')) {
            frame.afterCommandName = true;
        }
    }
    closeFrame(frame, openIndex) {
        const pending = this.pendingHereDocuments.find(hereDocument => hereDocument.frame === frame);
        if (pending !== undefined) {
            this.fail(pending.index, `Here-document ${pending.spelling} has no body`);
        }
        if (frame.cases.length > 0)
            this.fail(openIndex, '`case` without a matching `esac`');
        if (frame.conditional !== undefined)
            this.fail(openIndex, '`[[` without a matching `]]`');
    }
    /** Lexes a command list (or a parenthesized word) up to and including its closing `)`. */
    lexFrame(kind, forbidden, openIndex) {
        const frame = this.newFrame(kind, forbidden, openIndex);
        this.frames.push(frame);
        const source = this.source;
        for (;;) {
            const char = source[this.index];
            if (char === undefined) {
                if (kind !== 'script')
                    this.fail(openIndex, `Unterminated ${describeFrame(kind)}`);
                this.finishWord(frame);
                this.closeFrame(frame, openIndex);
                break;
            }
            const forbiddenHere = this.effectiveForbidden(frame);
            if (char === ' ' || char === '\t') {
                this.finishWord(frame);
                this.take();
            }
            else if (char === '\n') {
                this.lexNewline(frame);
            }
            else if (char === '\\') {
                this.lexBackslash(frame);
            }
            else if (char === '#' && !frame.inWord) {
                this.lexComment(frame);
            }
            else if (char === "'") {
                this.wordPart(frame, undefined);
                this.lexSingleQuotes(forbiddenHere);
            }
            else if (char === '"') {
                this.wordPart(frame, undefined);
                this.lexDoubleQuotes(forbiddenHere);
            }
            else if (char === '`') {
                this.wordPart(frame, undefined);
                this.lexBackticks();
            }
            else if (char === '$') {
                this.wordPart(frame, undefined);
                this.lexDollar(false, forbiddenHere);
            }
            else if (char === '(') {
                this.lexOpeningParenthesis(frame, forbiddenHere);
            }
            else if (char === ')') {
                if (this.lexClosingParenthesis(frame, openIndex))
                    break;
            }
            else if (char === ';' || char === '&' || char === '|' || char === '<' || char === '>') {
                this.lexOperatorCharacter(frame, char, forbiddenHere);
            }
            else if (char === '{' && this.placeholderAt(this.index) !== undefined) {
                const numbers = this.numberRules(frame);
                this.wordPart(frame, undefined);
                this.takePlaceholder('bare', forbiddenHere, numbers);
            }
            else {
                this.lexWordCharacter(frame);
            }
        }
        this.frames.pop();
    }
    /** A frame of the given kind opened at openIndex; a group inside [[ … ]] knows it is there. */
    newFrame(kind, forbidden, openIndex) {
        const parent = this.frames.at(-1);
        return {
            kind,
            forbidden,
            commandPosition: kind !== 'group',
            inWord: false,
            wordStart: openIndex,
            plainWord: undefined,
            wordPlaceholders: [],
            subscriptDepth: 0,
            redirection: undefined,
            command: newCommand(kind),
            afterCommandName: false,
            afterFunctionKeyword: false,
            afterTime: undefined,
            loopKeyword: undefined,
            cases: [],
            conditional: undefined,
            enclosingConditional: kind === 'group' ? (parent?.conditional ?? parent?.enclosingConditional) : undefined
        };
    }
    /** A newline ends the word and the command, and starts any pending here-document bodies. */
    lexNewline(frame) {
        this.finishWord(frame);
        this.take();
        this.readHereDocumentBodies(frame);
        const statement = frame.cases.at(-1);
        if (statement === undefined || statement.state === 'body')
            this.startCommand(frame);
    }
    /** A backslash: a line continuation, or an escaped character of the word. */
    lexBackslash(frame) {
        const next = this.source[this.index + 1];
        if (next === '\n') {
            this.take(2); // a line continuation: as if neither character were there
        }
        else {
            this.failIfPlaceholderFollowsBackslash(this.index);
            this.wordPart(frame, undefined);
            this.take(next === undefined ? 1 : 2);
        }
    }
    /** A comment: placeholders in it stay as they are, inert. */
    lexComment(frame) {
        if (frame.kind === 'group') {
            this.fail(this.index, 'Quote the `#`: inside (…) here it is unclear whether it starts a comment');
        }
        const newline = this.source.indexOf('\n', this.index);
        this.take((newline === -1 ? this.source.length : newline) - this.index);
    }
    /** A `)`: the end of a case pattern, or of this frame (true when the frame closed). */
    lexClosingParenthesis(frame, openIndex) {
        this.finishWord(frame);
        const statement = frame.cases.at(-1);
        if (statement?.state === 'pattern') {
            this.take();
            statement.state = 'body';
            this.startCommand(frame);
            return false;
        }
        if (frame.kind === 'script')
            this.fail(this.index, 'Unmatched `)`');
        this.closeFrame(frame, openIndex);
        this.take();
        return true;
    }
    /** An operator character; digits right before < or > are the file descriptor it applies to. */
    lexOperatorCharacter(frame, char, forbiddenHere) {
        const ioNumber = (char === '<' || char === '>') &&
            frame.inWord &&
            frame.plainWord !== undefined &&
            /^[0-9]+$/.test(frame.plainWord);
        this.finishWord(frame, ioNumber);
        this.lexOperator(frame, forbiddenHere);
    }
    lexWordCharacter(frame) {
        const char = this.source[this.index];
        if (!frame.inWord) {
            // An array subscript is evaluated as arithmetic by bash: name[…]=value, and [key]=value
            // inside an array assignment's parentheses.
            const subscript = frame.kind === 'group' && char === '['
                ? '['
                : /^[A-Za-z_][A-Za-z0-9_]*\[/.exec(this.source.slice(this.index, this.index + 256))?.[0];
            if (subscript !== undefined) {
                this.wordPart(frame, undefined);
                this.take(subscript.length);
                frame.subscriptDepth = 1;
                return;
            }
        }
        if (frame.subscriptDepth > 0) {
            if (char === '[')
                frame.subscriptDepth++;
            if (char === ']')
                frame.subscriptDepth--;
        }
        this.wordPart(frame, char);
        this.take();
    }
    lexOpeningParenthesis(frame, forbiddenHere) {
        // `(` ends a reserved word (if(…), while(…), !(…), {(…), [[(…), for((…))): what follows is a
        // subshell, arithmetic or a group of conditions, as after a space, not a parenthesized word.
        const word = frame.plainWord;
        if (frame.inWord && frame.commandPosition && word !== undefined && RESERVED_WORDS.has(word)) {
            this.finishWord(frame);
        }
        const openIndex = this.index;
        const functionParentheses = /^\([ \t]*\)/.exec(this.source.slice(openIndex, openIndex + 256))?.[0];
        const plainName = frame.plainWord !== undefined && /^[^=]+$/.test(frame.plainWord);
        const namesFunction = frame.inWord
            ? plainName && (frame.commandPosition || frame.afterFunctionKeyword)
            : frame.afterCommandName || frame.afterFunctionKeyword;
        if (functionParentheses !== undefined && namesFunction) {
            // name() or name (): a function definition, whose body starts like a command.
            frame.inWord = false;
            frame.subscriptDepth = 0;
            frame.afterCommandName = false;
            frame.afterFunctionKeyword = false;
            this.take(functionParentheses.length);
            frame.commandPosition = true;
            frame.command = newCommand(frame.kind);
            return;
        }
        if (frame.inWord) {
            // Inside a word: an array assignment a=(…), an extended glob @(…), or f() of a function.
            this.wordPart(frame, undefined);
            this.take();
            this.lexFrame('group', forbiddenHere, openIndex);
            return;
        }
        if (this.source[this.index + 1] === '(') {
            // ((…)) is arithmetic in bash but two subshells in dash: treat it as arithmetic for both.
            this.take(2);
            this.lexArithmetic('((…))', openIndex);
            // An arithmetic command, or the head of `for ((…))`, which `do` or `{` may follow at once.
            frame.loopKeyword = undefined;
            this.reservedWordMayFollow(frame);
            return;
        }
        const statement = frame.cases.at(-1);
        if (statement?.state === 'patternStart') {
            this.take(); // the optional `(` before a case pattern
            statement.state = 'pattern';
            return;
        }
        const subshell = frame.commandPosition && frame.kind !== 'group' && frame.conditional === undefined;
        this.take();
        this.lexFrame(subshell ? 'subshell' : 'group', subshell ? frame.forbidden : forbiddenHere, openIndex);
        if (subshell)
            this.reservedWordMayFollow(frame);
        else
            frame.commandPosition = false;
    }
    lexOperator(frame, forbiddenHere) {
        const source = this.source;
        const rest = source.slice(this.index, this.index + 3);
        const statement = frame.cases.at(-1);
        if (statement !== undefined && (statement.state === 'subject' || statement.state === 'in')) {
            this.fail(this.index, 'Expected `case WORD in`');
        }
        if (rest.startsWith('<(') || rest.startsWith('>(')) {
            // A word, which may be a redirection's target.
            const openIndex = this.index;
            this.wordPart(frame, undefined);
            this.take(2);
            this.lexFrame('processSubstitution', forbiddenHere, openIndex);
            return;
        }
        frame.redirection = undefined;
        if (rest.startsWith(';;') || rest.startsWith(';&')) {
            if (statement?.state !== 'body')
                this.fail(this.index, '`;;` outside a case statement');
            this.take(rest === ';;&' ? 3 : 2);
            statement.state = 'patternStart';
            return;
        }
        const separator = /^(?:;|&&|&(?!>)|\|\||\|&|\|)/.exec(rest)?.[0];
        if (separator !== undefined) {
            this.take(separator.length);
            // `|` separates the patterns of a case clause; elsewhere these all start a new command.
            if (!(separator === '|' && statement?.state === 'pattern'))
                this.startCommand(frame);
            return;
        }
        if (frame.conditional !== undefined || frame.enclosingConditional !== undefined) {
            if (rest.startsWith('<<')) {
                this.fail(this.index, '`<<` inside [[ … ]] is not supported: bash stops with a syntax error there, and other ' +
                    'shells start a here-document');
            }
            this.take(); // < and > compare strings inside [[ … ]]
            return;
        }
        if (/^<<(?!<)/.test(rest)) {
            if (frame.kind === 'group')
                this.fail(this.index, 'Here-documents inside (…) are not supported');
            if (this.inHereDocumentBody) {
                this.fail(this.index, 'Here-documents inside the body of a here-document are not supported');
            }
            this.lexHereDocumentOperator(frame);
            frame.commandPosition = false;
            return;
        }
        if (rest === '<<<' && this.dialect === 'sh') {
            this.fail(this.index, '`<<<` here-strings are bash syntax, which dash cannot read; pipe the value in instead ' +
                "(printf '%s\\n' … | command) or use shell: bash");
        }
        // A redirection; the word after it is its target, and the command's name cannot follow it as a
        // reserved word. With >& and <& bash reads a target that is not a number a second time.
        const redirection = /^(?:<<<|<&|<>|<|>>|>&|>\||>|&>>|&>)/.exec(rest)?.[0] ?? rest[0];
        this.take(redirection.length);
        frame.commandPosition = false;
        frame.afterCommandName = false;
        frame.redirection = {
            forbidden: redirection === '>&' || redirection === '<&' ? inDuplication(redirection) : undefined
        };
    }
    // Quotes and expansions
    lexSingleQuotes(forbidden) {
        const openIndex = this.index;
        this.take();
        for (;;) {
            const char = this.source[this.index];
            if (char === undefined)
                this.fail(openIndex, "Unterminated '…' quote");
            if (char === "'") {
                this.take();
                return;
            }
            if (char === '\n')
                this.checkQuotedNewline();
            if (!this.takePlaceholder('single', forbidden))
                this.take();
        }
    }
    lexDoubleQuotes(forbidden) {
        const openIndex = this.index;
        this.take();
        for (;;) {
            const char = this.source[this.index];
            if (char === undefined)
                this.fail(openIndex, 'Unterminated "…" quote');
            if (char === '"') {
                this.take();
                return;
            }
            if (char === '\\') {
                // Inside "…" a backslash escapes only $ ` " \ and newline; before anything else it is
                // literal, but it would still escape the quote put before a value.
                this.failIfPlaceholderFollowsBackslash(this.index);
                const next = this.source[this.index + 1];
                this.take(next !== undefined && '$`"\\\n'.includes(next) ? 2 : 1);
            }
            else if (char === '$') {
                this.lexDollar(true, forbidden);
            }
            else if (char === '`') {
                this.lexBackticks();
            }
            else {
                if (char === '\n')
                    this.checkQuotedNewline();
                if (!this.takePlaceholder('double', forbidden))
                    this.take();
            }
        }
    }
    lexAnsiCQuotes(forbidden) {
        const openIndex = this.index;
        this.take(2);
        this.lexEscapedUntil("'", openIndex, "Unterminated $'…' quote", 'ansiC', forbidden);
    }
    /** Backticks end at the first unescaped backtick, in bash and dash alike. */
    lexBackticks() {
        const openIndex = this.index;
        this.take();
        this.lexEscapedUntil('`', openIndex, 'Unterminated `…` command substitution', 'bare', IN_BACKTICKS);
    }
    /**
     * Reads up to and including the first unescaped `close`, where a backslash escapes the next
     * character (so a placeholder may not follow it), placing placeholders in `context`.
     */
    lexEscapedUntil(close, openIndex, unterminated, context, forbidden) {
        for (;;) {
            const char = this.source[this.index];
            if (char === undefined)
                this.fail(openIndex, unterminated);
            if (char === close) {
                this.take();
                return;
            }
            if (char === '\\') {
                this.failIfPlaceholderFollowsBackslash(this.index);
                if (this.source[this.index + 1] === '\n')
                    this.checkQuotedNewline();
                this.take(2);
                continue;
            }
            if (char === '\n')
                this.checkQuotedNewline();
            if (!this.takePlaceholder(context, forbidden))
                this.take();
        }
    }
    lexDollar(inDoubleQuotes, forbidden) {
        const source = this.source;
        const start = this.index;
        const next = source[start + 1];
        if (next === '{') {
            this.lexParameterExpansion(inDoubleQuotes);
        }
        else if (next === '(' && source[start + 2] === '(') {
            this.take(3);
            this.lexArithmetic('$((…))', start);
        }
        else if (next === '(') {
            this.take(2);
            this.lexFrame('commandSubstitution', forbidden, start);
        }
        else if (next === '[') {
            // $[…] is old bash arithmetic; in dash it is text. Treat it as arithmetic for both.
            this.take(2);
            this.lexArithmetic('$[…]', start);
        }
        else if (next === "'" && !inDoubleQuotes) {
            if (this.dialect === 'sh') {
                this.fail(start, "$'…' quoting is not POSIX sh (dash reads it differently); use shell: bash");
            }
            this.lexAnsiCQuotes(forbidden);
        }
        else {
            // $name, $1, $#, $? and friends, or a lone $. ($"…" is $ and then "…" for this purpose.)
            const name = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(source.slice(start, start + 256));
            this.take(name?.[0].length ?? 1);
        }
    }
    /** ${…} ends at the first unescaped, unquoted `}` outside nested substitutions. */
    lexParameterExpansion(inDoubleQuotes) {
        const openIndex = this.index;
        const forbidden = IN_PARAMETER_EXPANSION;
        // ${name=word} and ${name:=word} assign word to name.
        const assigned = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?=/.exec(this.source.slice(openIndex, openIndex + 256));
        this.noteAssignment(assigned?.[1], false, `${assigned?.[0] ?? ''}…}`, openIndex);
        this.take(2);
        for (;;) {
            const char = this.source[this.index];
            if (char === undefined)
                this.fail(openIndex, 'Unterminated ${…} parameter expansion');
            if (char === '}') {
                this.take();
                return;
            }
            if (char === '\\') {
                this.failIfPlaceholderFollowsBackslash(this.index);
                if (this.source[this.index + 1] === undefined)
                    this.take();
                else
                    this.take(2);
            }
            else if (char === "'") {
                if (inDoubleQuotes) {
                    this.fail(this.index, 'Single quotes inside "${…}" are read differently by bash and dash; put the text in a variable');
                }
                this.lexSingleQuotes(forbidden);
            }
            else if (char === '"') {
                this.lexDoubleQuotes(forbidden);
            }
            else if (char === '`') {
                this.lexBackticks();
            }
            else if (char === '$') {
                this.lexDollar(inDoubleQuotes, forbidden);
            }
            else {
                if (char === '\n')
                    this.checkQuotedNewline();
                if (!this.takePlaceholder('bare', forbidden, 'parameter', openIndex))
                    this.take();
            }
        }
    }
    /**
     * $((…)), ((…)) and $[…]. Parentheses must balance and the closing `))` must be adjacent:
     * otherwise bash rereads $((…) …) as a command substitution, which this lexer does not guess.
     */
    lexArithmetic(spelling, openIndex) {
        const forbidden = inArithmetic(spelling);
        const brackets = spelling === '$[…]';
        let depth = 0;
        for (;;) {
            const char = this.source[this.index];
            if (char === undefined)
                this.fail(openIndex, `Unterminated arithmetic ${spelling}`);
            if (char === '(' || (brackets && char === '[')) {
                depth++;
                this.take();
            }
            else if (char === ')' || (brackets && char === ']')) {
                if (depth > 0) {
                    depth--;
                    this.take();
                }
                else if (brackets) {
                    if (char === ')')
                        this.fail(this.index, `Unmatched \`)\` inside arithmetic ${spelling}`);
                    this.take();
                    return;
                }
                else if (this.source[this.index + 1] === ')') {
                    this.take(2);
                    return;
                }
                else {
                    this.fail(openIndex, `Cannot tell whether ${spelling.slice(0, -3)} starts arithmetic or a nested subshell; ` +
                        'write $( ( … ) ) or ( ( … ) ) with spaces for subshells');
                }
            }
            else if (char === '$') {
                this.lexDollar(false, forbidden);
            }
            else if (char === "'" || char === '"' || char === '`') {
                this.fail(this.index, `Quotes and backticks inside arithmetic ${spelling} are not supported`);
            }
            else if (char === '\\') {
                if (this.source[this.index + 1] !== '\n') {
                    this.fail(this.index, `Backslashes inside arithmetic ${spelling} are not supported`);
                }
                this.take(2);
            }
            else {
                if (char === '\n')
                    this.checkQuotedNewline();
                if (!this.takePlaceholder('bare', forbidden, 'arithmetic'))
                    this.take();
            }
        }
    }
}
/**
 * The first declare, typeset, local or readonly followed by an option that gives the integer or
 * nameref attribute (or by an expansion, which could be one) anywhere in source, also inside
 * quotes: quotes and backslashes are removed first, so `eval 'de''clare -i x'` counts. Returns
 * its spelling and its index in source.
 */
function findAttributeDeclaration(source) {
    let text = '';
    const indexes = [];
    for (let index = 0; index < source.length; index++) {
        const char = source[index];
        if (char === "'" || char === '"')
            continue;
        if (char === '\\') {
            if (source[index + 1] === '\n')
                index++;
            continue;
        }
        text += char;
        indexes.push(index);
    }
    // Options, and words with an expansion ($opt, -$o, `…`), which could be options.
    const declarations = /(?<![A-Za-z0-9_])(?:declare|typeset|local|readonly)((?:[ \t]+[-+$`][^\s;&|]*)+)/g;
    const attribute = /^(?:[-+][A-Za-z]*[in]|[-+]?[^$`]*[$`])/;
    for (const match of text.matchAll(declarations)) {
        const options = match[1].trim().split(/[ \t]+/);
        if (options.some(option => attribute.test(option))) {
            const start = indexes[match.index];
            return { spelling: match[0].replace(/[ \t]+/g, ' '), index: start };
        }
    }
    return undefined;
}
function describeFrame(kind) {
    switch (kind) {
        case 'commandSubstitution':
            return '$(…) command substitution';
        case 'processSubstitution':
            return '<(…) or >(…) process substitution';
        case 'subshell':
            return '(…) subshell';
        case 'group':
        case 'script':
            return '(…)';
    }
}
/**
 * Whether lines joined by backslash-newlines (all but the last end with the backslash) could read
 * as the here-document's delimiter line in some shell: a line on its own, with or without its
 * backslash, or joined with the lines after it; for <<- with leading tabs removed from the first
 * line or from each.
 */
function couldBeDelimiter(lines, hereDocument) {
    const strip = (line) => (hereDocument.stripTabs ? line.replace(/^\t+/, '') : line);
    for (let first = 0; first < lines.length; first++) {
        let joined = '';
        let joinedStripped = '';
        for (let last = first; last < lines.length; last++) {
            const line = lines[last];
            const withoutBackslash = last < lines.length - 1 ? line.slice(0, -1) : line;
            const candidates = [
                strip(joined + line),
                strip(joined + withoutBackslash),
                joinedStripped + strip(line),
                joinedStripped + strip(withoutBackslash)
            ];
            if (candidates.includes(hereDocument.delimiter))
                return true;
            joined += withoutBackslash;
            joinedStripped += strip(withoutBackslash);
        }
    }
    return false;
}

;// CONCATENATED MODULE: ./src/template/template.ts







/** The command template is unusable: bad syntax, or a placeholder where it cannot be safe. */
class TemplateError extends Error {
    name = 'TemplateError';
}
/** A placeholder names nothing for a given item (or the item cannot be used as asked). */
class PlaceholderError extends Error {
    namesNothing;
    name = 'PlaceholderError';
    /** namesNothing: the template asks for what the item lacks (else the item's value is unusable). */
    constructor(message, namesNothing = false) {
        super(message);
        this.namesNothing = namesNothing;
    }
}
// {#} {%} | {} {.} {/} {//} {/.} | {1} {1.} {1/} {1//} {1/.} | {name} {a.b}
const template_PLACEHOLDER = /\{(?:([#%])|([0-9]+)?(\/\/|\/\.|\/|\.)?|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))\}/y;
function matchPlaceholder(text, index) {
    template_PLACEHOLDER.lastIndex = index;
    const match = template_PLACEHOLDER.exec(text);
    if (match === null)
        return undefined;
    return { length: match[0].length, numeric: match[1] !== undefined };
}
function parsePlaceholder(source) {
    template_PLACEHOLDER.lastIndex = 0;
    const match = template_PLACEHOLDER.exec(source);
    if (match === null)
        throw new Error(`Not a placeholder: ${source}`);
    const [, numeric, position, pathForm, fieldPath] = match;
    if (numeric !== undefined)
        return { kind: numeric === '#' ? 'sequence' : 'slot' };
    if (fieldPath !== undefined)
        return { kind: 'field', path: fieldPath.split('.') };
    const form = pathForm;
    if (position !== undefined)
        return { kind: 'position', position: Number(position), pathForm: form };
    return { kind: 'item', pathForm: form };
}
/**
 * GNU parallel's {/}: everything after the last slash (so "a/" gives ""). GNU parallel's own
 * s:.*\/:: stops at a newline ("a/b\nc/d" gives "b\nc/d"); this takes the real last slash.
 */
function basename(path) {
    return path.slice(path.lastIndexOf('/') + 1);
}
/**
 * GNU parallel's {.}: drops the last dot and what follows it within the last path component,
 * s:\.[^/.]*$:: (so ".bashrc" gives "", "x." gives "x", "x/." gives "x/").
 */
function withoutExtension(path) {
    return path.replace(/\.[^/.]*$/, '');
}
/**
 * GNU parallel's {//}, Perl's File::Basename::dirname: "a" gives ".", "/a" gives "/", "a/b/"
 * gives "a" (GNU parallel's test suite checks `parallel echo {//} ::: a` prints ".").
 */
function dirname(path) {
    const split = (text) => {
        const slash = text.lastIndexOf('/');
        return slash === -1 ? ['./', text] : [text.slice(0, slash + 1), text.slice(slash + 1)];
    };
    const stripTrailingSlashes = (directory) => directory.replace(/(.)\/*$/s, '$1');
    const [directory, base] = split(path);
    if (base !== '')
        return stripTrailingSlashes(directory);
    return stripTrailingSlashes(split(stripTrailingSlashes(directory))[0]);
}
function applyPathForm(text, form) {
    switch (form) {
        case undefined:
            return text;
        case '.':
            return withoutExtension(text);
        case '/':
            return basename(text);
        case '//':
            return dirname(text);
        case '/.':
            return withoutExtension(basename(text));
    }
}
const MAX_ITEM_TEXT_IN_MESSAGES = 40;
/** `item 3 ("foo")`, with long items cut short. */
function describeItem(item, seq) {
    const characters = [...JSON.stringify(item)];
    const text = characters.length > MAX_ITEM_TEXT_IN_MESSAGES
        ? `${characters.slice(0, MAX_ITEM_TEXT_IN_MESSAGES - 1).join('')}…`
        : characters.join('');
    return `item ${seq} (${text})`;
}
function kindOfItem(item) {
    if (item === null)
        return 'null';
    if (Array.isArray(item))
        return 'a list';
    if (typeof item === 'object')
        return 'an object';
    return `a ${typeof item}`;
}
/** The value of a placeholder for an item, or the reason it names nothing. */
function template_valueOf(placeholder, item, seq, slot) {
    switch (placeholder.kind) {
        case 'sequence':
            return { value: String(seq) };
        case 'slot':
            return { value: String(slot) };
        case 'item':
            return { value: applyPathForm(itemText(item), placeholder.pathForm) };
        case 'position': {
            const { position, pathForm } = placeholder;
            if (position === 0)
                return { problem: 'positions count from 1.' };
            if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
                return { problem: 'the item is an object, not a list; name its fields as in {name}.' };
            }
            const elements = Array.isArray(item) ? item : [item];
            const element = elements[position - 1];
            if (element === undefined) {
                if (!Array.isArray(item))
                    return { problem: 'the item is a single value, so only {1} names it.' };
                if (item.length === 0)
                    return { problem: 'the item is an empty list.' };
                return {
                    problem: `the item has only ${item.length} element${item.length === 1 ? '' : 's'}.`
                };
            }
            return { value: applyPathForm(itemText(element), pathForm) };
        }
        case 'field': {
            let value = item;
            for (const [depth, key] of placeholder.path.entries()) {
                const found = typeof value === 'object' &&
                    value !== null &&
                    !Array.isArray(value) &&
                    Object.hasOwn(value, key)
                    ? value[key]
                    : undefined;
                if (found === undefined) {
                    const field = placeholder.path.slice(0, depth + 1).join('.');
                    const hint = depth === 0 && kindOfItem(item) !== 'an object' ? ` (it is ${kindOfItem(item)})` : '';
                    return { problem: `the item has no field '${field}'${hint}.` };
                }
                value = found;
            }
            return { value: itemText(value) };
        }
    }
}
/** A command template, parsed and checked once, rendered once per item. */
class CommandTemplate {
    shell;
    plan;
    placeholders;
    /** True when the template uses {%} (the slot is only known at start time). */
    usesSlot;
    constructor(shell, plan, placeholders) {
        this.shell = shell;
        this.plan = plan;
        this.placeholders = placeholders;
        this.usesSlot = placeholders.has('{%}');
    }
    /**
     * Parses and checks the template once; throws TemplateError. An empty/whitespace-only template
     * means "each item is itself the command".
     */
    static parse(template, shell) {
        if (template.trim() === '')
            return new CommandTemplate(shell, { kind: 'itemsAreCommands' }, new Map());
        const plan = parsePlan(template, shell);
        const parts = plan.kind === 'script'
            ? plan.parts
            : plan.kind === 'pwsh'
                ? plan.script.parts
                : plan.kind === 'words'
                    ? plan.words.flat()
                    : [];
        const sources = parts.flatMap(part => (part.kind === 'placeholder' ? [part.source] : []));
        const placeholders = new Map(sources.map(source => [source, parsePlaceholder(source)]));
        return new CommandTemplate(shell, plan, placeholders);
    }
    /**
     * Renders for one item; seq is 1-based, slot 1..workers. Throws PlaceholderError naming the
     * placeholder and the item.
     */
    render(item, seq, slot) {
        for (const [name, number] of [
            ['seq', seq],
            ['slot', slot]
        ]) {
            if (!Number.isSafeInteger(number) || number < 0) {
                throw new RangeError(`${name} must be a whole number, not ${number}.`);
            }
        }
        const values = new Map();
        const value = (source) => {
            const known = values.get(source);
            if (known !== undefined)
                return known;
            const placeholder = this.placeholders.get(source);
            if (placeholder === undefined)
                throw new Error(`Unparsed placeholder ${source}`);
            const result = template_valueOf(placeholder, item, seq, slot);
            if ('problem' in result) {
                throw new PlaceholderError(`Placeholder ${source} names nothing in ${describeItem(item, seq)}: ${result.problem}`, true);
            }
            const unsendable = unsendableCharacter(result.value);
            if (unsendable !== undefined) {
                throw new PlaceholderError(`Placeholder ${source} cannot be used for ${describeItem(item, seq)}: its value ` +
                    `contains ${unsendable}, which no command line can carry.`);
            }
            values.set(source, result.value);
            return result.value;
        };
        const plan = this.plan;
        switch (plan.kind) {
            case 'itemsAreCommands':
                return this.renderItemAsCommand(item, seq);
            case 'script':
                return this.shellCommand(plan.parts
                    .map(part => part.kind === 'text' ? part.text : quoteInContext(value(part.source), part.context))
                    .join(''));
            case 'pwsh': {
                let script;
                try {
                    script = renderPwshScript(plan.script, value);
                }
                catch (error) {
                    if (!(error instanceof PwshValueError))
                        throw error;
                    throw new PlaceholderError(`Placeholder ${error.sources.join(' and ')} cannot be used for ` +
                        `${describeItem(item, seq)}: ${error.message}`);
                }
                return this.shellCommand(script);
            }
            case 'words': {
                const words = plan.words.map(parts => parts.map(part => (part.kind === 'text' ? part.text : value(part.source))).join(''));
                return this.directCommand(words, item, seq);
            }
        }
    }
    renderItemAsCommand(item, seq) {
        const text = itemText(item);
        const unsendable = unsendableCharacter(text);
        if (unsendable !== undefined) {
            throw new PlaceholderError(`${capitalize(describeItem(item, seq))} cannot be run as a command: it contains ` +
                `${unsendable}, which no command line can carry.`);
        }
        if (this.shell !== Shell.None)
            return this.shellCommand(text);
        let words;
        try {
            words = splitWords(text);
        }
        catch (error) {
            if (!(error instanceof ShellSyntaxError))
                throw error;
            throw new PlaceholderError(`${capitalize(describeItem(item, seq))} cannot be run as a command: ${lowercaseFirst(error.message)}`);
        }
        // Without a matcher, splitWords returns text parts only.
        const texts = words.map(parts => parts.map(part => (part.kind === 'text' ? part.text : '')).join(''));
        return this.directCommand(texts, item, seq);
    }
    shellCommand(script) {
        switch (this.shell) {
            case Shell.Bash:
                // As GitHub's `shell: bash`.
                return {
                    file: 'bash',
                    args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
                    display: script
                };
            case Shell.Sh:
                return { file: 'sh', args: ['-e', '-c', script], display: script };
            case Shell.Pwsh:
                // As GitHub's `shell: pwsh` (its prelude and epilogue around the script), but passed with
                // -EncodedCommand: no temporary file and no command-line quoting on any platform. The
                // display leaves the prelude and epilogue out.
                return { file: 'pwsh', args: pwshArguments(script), display: script };
            case Shell.None:
                throw new Error('A shell script cannot run without a shell.');
        }
    }
    directCommand(words, item, seq) {
        const [file, ...args] = words;
        if (file === undefined) {
            throw new PlaceholderError(`${capitalize(describeItem(item, seq))} cannot be run as a command: it has no words.`);
        }
        if (file === '') {
            throw new PlaceholderError(`The command for ${describeItem(item, seq)} has an empty program name.`);
        }
        return { file, args, display: shellJoin(words) };
    }
}
function parsePlan(template, shell) {
    try {
        if (shell === Shell.None) {
            const words = splitWords(template, matchPlaceholder);
            if (words.length === 0)
                throw new TemplateError('The command template has no words to run.');
            const [first] = words;
            if (first?.length === 0) {
                throw new TemplateError('The command template starts with an empty word, which names no program.');
            }
            return { kind: 'words', words };
        }
        if (shell === Shell.Pwsh)
            return { kind: 'pwsh', script: lexPwshScript(template, matchPlaceholder) };
        return { kind: 'script', parts: lexScript(template, shell, matchPlaceholder) };
    }
    catch (error) {
        if (error instanceof ShellSyntaxError)
            throw new TemplateError(error.message);
        throw error;
    }
}
function capitalize(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}
function lowercaseFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./src/plan/prepare.ts









/**
 * Renders every command and checks every item before anything runs, so that a bad template, a
 * placeholder that names nothing, a command that could not start (a string over Linux's 128 KiB,
 * or arguments and environment over the system's total, counted for tasks whose files are in
 * `workDirectory`) or a missing task directory stops the run early, naming what is wrong.
 */
function prepareRun(source, execution, workDirectory) {
    const count = source.kind === 'tasks' ? source.tasks.length : source.items.length;
    const budget = workDirectory === undefined
        ? undefined
        : spawnBudget(workDirectory, Math.max(1, Math.min(execution.maxWorkers, count)), count);
    if (source.kind === 'tasks')
        return prepareTasks(source.tasks, execution, budget);
    const command = source.command ?? '';
    const template = parseTemplate(command, execution.shell);
    try {
        return prepareItems(source.items, template, source.source, budget);
    }
    catch (error) {
        if (!(error instanceof PlaceholderError))
            throw error;
        // A placeholder that names nothing is the template's fault; a value no command can carry, the item's.
        const input = error.namesNothing ? `${Inputs.Command} '${cut(command, 80)}'` : source.source;
        throw new Error(`Invalid ${input}: ${error.message}`, { cause: error });
    }
}
/** Items through the command template; object items may carry a numeric `priority`. */
function prepareItems(items, template, itemsInput = Inputs.Items, budget) {
    const slots = budget?.slots ?? 1;
    const prepared = items.map((item, index) => {
        const command = template.render(item, index + 1, 1);
        // {%} is rendered again at start: count it with the longest slot number.
        const longest = template.usesSlot ? template.render(item, index + 1, slots) : command;
        const where = `Invalid ${itemsInput}: item ${index + 1} (${itemLabel(item, 40)})`;
        const spawnRoom = checkSpawnable(where, item, longest, undefined, budget);
        return { index, item, command, spawnRoom };
    });
    return { template, prepared, needs: undefined, priorities: items.map(priorityOf) };
}
/** Named tasks: each runs its own script in the step's shell; the item is its name. */
function prepareTasks(tasks, execution, budget) {
    // An empty template makes each "item" the script itself, quoted for nothing.
    const template = CommandTemplate.parse('', execution.shell);
    const indexOf = new Map(tasks.map((task, index) => [task.name, index]));
    const prepared = tasks.map((task, index) => {
        const where = `Invalid ${Inputs.Tasks}: task '${task.name}'`;
        let command;
        try {
            command = template.render(task.run, index + 1, 1);
        }
        catch (error) {
            if (!(error instanceof PlaceholderError))
                throw error;
            throw new Error(`${where}: ${prepare_lowercaseFirst(error.message)}`, { cause: error });
        }
        const spawnRoom = checkSpawnable(where, task.name, command, task.env, budget);
        const overrides = {
            timeoutMs: task.timeoutMs,
            retries: task.retries,
            env: task.env,
            cwd: task.workingDirectory === undefined
                ? undefined
                : existingDirectory(task, (0,external_node_path_namespaceObject.resolve)(execution.workingDirectory, task.workingDirectory))
        };
        return { index, item: task.name, command, needs: task.needs, overrides, spawnRoom };
    });
    return {
        template,
        prepared,
        needs: tasks.map(task => task.needs.map(need => indexOf.get(need))),
        priorities: tasks.map(task => task.priority ?? 0)
    };
}
/** Parses the command template, naming the input when it is unusable. */
function parseTemplate(command, shell) {
    try {
        return CommandTemplate.parse(command, shell);
    }
    catch (error) {
        if (!(error instanceof TemplateError))
            throw error;
        throw new Error(`Invalid ${Inputs.Command} '${cut(command, 80)}': ${error.message}`, {
            cause: error
        });
    }
}
/**
 * Checks that the command can start: each argument (and each variable of a task's own `env`) and,
 * with a budget, the total of its arguments and environment without PARALLEL_ITEM, which is set
 * only where it fits. Returns the bytes left for PARALLEL_ITEM under the total.
 */
function checkSpawnable(where, item, command, env, budget) {
    const fail = (problem) => {
        throw new Error(`${where}: ${problem}.`);
    };
    // PARALLEL_ITEM_FILE carries a NUL, but neither it nor PARALLEL_ITEM a lone surrogate.
    const lone = typeof item === 'string' ? unsendableCharacter(item.replaceAll('\0', '')) : undefined;
    if (lone !== undefined) {
        fail(`the item would contain ${lone}, which no environment variable or file can carry`);
    }
    const problem = spawnProblem(command.args, env ?? {});
    if (problem !== undefined)
        fail(problem);
    if (budget?.limit === undefined)
        return undefined;
    const bytes = bytesWithoutItem(command, env, budget);
    const total = totalSizeProblem(bytes, budget.limit);
    if (total !== undefined)
        fail(total);
    return budget.limit - bytes;
}
/**
 * What the task's arguments and environment take, PARALLEL_ITEM aside. Far from the limit, an
 * upper bound (a UTF-16 unit is at most 3 UTF-8 bytes) that still leaves room for any
 * PARALLEL_ITEM under 128 KiB; near it, counted exactly.
 */
function bytesWithoutItem(command, env, budget) {
    const extra = env === undefined ? 0 : environmentBytes(env);
    const argv0 = resolveProgram(command.file);
    const path = programPath(argv0);
    let bound = budget.environmentBytes + extra + (path.length + argv0.length) * 3 + 10;
    for (const arg of command.args)
        bound += arg.length * 3 + 9;
    if (bound + MAX_ARG_STRLEN + 8 <= budget.limit)
        return bound;
    return budget.environmentBytes + extra + argumentBytes(path, [argv0, ...command.args]);
}
/** Paths found for a program name under a PATH: one lookup per run, not per item. */
const programPaths = new Map();
/**
 * The longest path a program named without a directory may be started from, PATH searched as
 * execvp does: the kernel counts that path too.
 */
function programPath(file) {
    if (file.includes('/'))
        return file;
    const pathVariable = process.env.PATH ?? '';
    const key = `${file}\0${pathVariable}`;
    let longest = programPaths.get(key);
    if (longest === undefined) {
        longest = file;
        for (const directory of pathVariable.split(':')) {
            const path = `${directory}/${file}`;
            if (Buffer.byteLength(path) > Buffer.byteLength(longest))
                longest = path;
        }
        programPaths.set(key, longest);
    }
    return longest;
}
function prepare_lowercaseFirst(text) {
    return text.charAt(0).toLowerCase() + text.slice(1);
}
function priorityOf(item) {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
        return 0;
    const priority = item.priority;
    return typeof priority === 'number' && Number.isFinite(priority) ? priority : 0;
}
function existingDirectory(task, directory) {
    let isDirectory = false;
    try {
        isDirectory = (0,external_node_fs_namespaceObject.statSync)(directory).isDirectory();
    }
    catch {
        // reported below
    }
    if (!isDirectory) {
        throw new Error(`Invalid ${Inputs.Tasks}: task '${task.name}' has working-directory '${task.workingDirectory}', ` +
            `which is not an existing directory.`);
    }
    return directory;
}

;// CONCATENATED MODULE: ./src/plan/timing-order.ts




/** The durations of the `timings` input; none when it is not set or its file cannot be used. */
async function loadTimings(path) {
    if (path === undefined)
        return new Map();
    const { timings, problem } = await readTimings(path);
    if (problem !== undefined)
        info(`Timings not used: ${problem}. Tasks start in input order.`);
    return timings;
}
/** With known timings, starts the longest tasks first. */
function scheduleByTimings(plan, timings) {
    if (timings.size === 0)
        return;
    const keys = plan.prepared.map(prepared => itemText(prepared.item));
    plan.priorities = prioritiesFromTimings(keys, plan.priorities, timings);
    const known = keys.filter(key => timings.has(key)).length;
    info(`Timings known for ${known} of ${keys.length}: the longest start first.`);
}

;// CONCATENATED MODULE: ./src/run/outcome-record.ts

/** The record of an item that never produced one: skipped, or its task threw. */
function recordOf(outcome, prepared) {
    const item = prepared[outcome.index];
    return {
        index: item.index,
        item: item.item,
        status: outcome.status,
        exitCode: null,
        signal: null,
        durationMs: 0,
        attempts: outcome.status === TaskStatus.Skipped ? 0 : 1,
        command: item.command.display,
        slot: outcome.slot ?? null,
        startedAt: null,
        endedAt: null,
        outputTail: '',
        error: outcome.error === undefined ? null : String(outcome.error),
        outputs: {},
        summary: '',
        needs: item.needs,
        skipReason: outcome.reason
    };
}

;// CONCATENATED MODULE: ./src/run/dry-run.ts





/** Prints what would run, and reports every task as skipped. */
function dryRun(plan, maxWorkers, shell) {
    const total = plan.prepared.length;
    info(`Dry run: ${total} ${plan.needs ? 'tasks' : 'items'}, nothing is run.`);
    const records = plan.prepared.map((prepared, index) => {
        const needs = prepared.needs?.length
            ? `  (needs ${prepared.needs.map(need => itemLabel(need)).join(', ')})`
            : '';
        const number = prepared.index + 1;
        const of = plan.shard?.itemCount ?? total;
        info(`[${number}/${of}] ${itemLabel(prepared.item)}${needs}\n  ${prepared.command.display}`);
        return recordOf({ index, status: TaskStatus.Skipped, reason: 'dry run' }, plan.prepared);
    });
    return {
        records,
        counts: countStatuses(records),
        durationMs: 0,
        workers: Math.min(maxWorkers, total),
        shell,
        haltReason: null,
        haltKind: null
    };
}

;// CONCATENATED MODULE: ./src/run/job-log.ts


/** Name of the job log in the run's directory: one JSON line per finished task, as it finishes. */
const JOB_LOG_FILE = 'job-log.jsonl';
/** Writes the job log: a line for each task that ran, as it ends. */
class JobLog {
    fd;
    constructor(workDirectory) {
        this.fd = (0,external_node_fs_namespaceObject.openSync)((0,external_node_path_namespaceObject.join)(workDirectory, JOB_LOG_FILE), 'a');
    }
    settled(outcome) {
        if (outcome.value !== undefined)
            (0,external_node_fs_namespaceObject.writeSync)(this.fd, jobLogLine(outcome.value));
    }
    close() {
        (0,external_node_fs_namespaceObject.closeSync)(this.fd);
    }
}
/** One line of the job log: GNU parallel's --joblog fields, as JSON. */
function jobLogLine(record) {
    return (JSON.stringify({
        seq: record.index + 1,
        slot: record.slot,
        start: record.startedAt === null ? null : record.startedAt / 1000,
        runtime: record.durationMs / 1000,
        exitCode: record.exitCode,
        signal: record.signal,
        attempts: record.attempts,
        status: record.status,
        item: record.item,
        command: record.command
    }) + '\n');
}

;// CONCATENATED MODULE: ./src/exec/item-environment.ts


/**
 * The environment one task runs with: `base` and the task's `overrides`, plus PARALLEL_ITEM where it fits, PARALLEL_ITEM_FILE
 * where it does not or the item is JSON (for tools that read JSON from a file), PARALLEL_SEQ,
 * PARALLEL_JOBSLOT and the variables of the slot's task files.
 */
function itemEnvironment(base, overrides, place, files) {
    const text = itemText(place.item);
    const env = { ...base, ...overrides };
    // The variable is preferred: a file costs every task a write (docs/decisions/009).
    const inVariable = itemVariableFits(text, place.spawnRoom);
    const inFile = !inVariable || (typeof place.item === 'object' && place.item !== null);
    if (inVariable)
        env.PARALLEL_ITEM = text;
    else
        delete env.PARALLEL_ITEM;
    if (inFile)
        env.PARALLEL_ITEM_FILE = files.itemPath;
    else
        delete env.PARALLEL_ITEM_FILE;
    env.PARALLEL_SEQ = String(place.seq);
    env.PARALLEL_JOBSLOT = String(place.slot);
    Object.assign(env, files.variables);
    return { env, fileText: inFile ? text : undefined };
}
/**
 * Whether PARALLEL_ITEM can carry the item: `PARALLEL_ITEM=<item>` within Linux's 128 KiB per
 * string, without a NUL byte, and within the `room` the task's arguments and other variables
 * leave. (A lone surrogate cannot get here: prepare refuses a string item with one, and JSON
 * escapes it.)
 */
function itemVariableFits(text, room) {
    const variable = `PARALLEL_ITEM=${text}`;
    if (text.includes('\0') || !fitsOneString(variable))
        return false;
    // Cheap upper bound first, as in fitsOneString.
    return room === undefined || variable.length * 3 + 9 <= room || stringBytes(variable) <= room;
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(7975);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(3136);
;// CONCATENATED MODULE: ./src/exec/launcher-program.ts




/** The perl that runs launchers (Linux only, and only where it exists). */
const LAUNCHER_PERL = '/usr/bin/perl';
/** Their numbers on the architectures GitHub's Linux runners have; elsewhere tasks are spawned. */
const SYSCALLS = {
    x64: { pidfd_open: 434, setsid: 112, rt_sigprocmask: 14, exit_group: 231, close: 3, prctl: 157 },
    arm64: {
        pidfd_open: 434,
        setsid: 157,
        rt_sigprocmask: 135,
        exit_group: 94,
        close: 57,
        prctl: 167
    }
};
let program;
/** launcher.pl could not be read (a dist/ without it): the pool falls back to spawn. */
class UnreadableProgram extends Error {
}
/** The text of launcher.pl, read once (ncc copies the file next to the bundle for this read). */
function launcherProgram() {
    // No `??=` in this file: ncc's asset relocator could not parse it, and webpack would then emit
    // the file under a content hash instead of as dist/launcher.pl (decision 003).
    if (program === undefined) {
        const url = __nccwpck_require__.ab + "launcher.pl";
        try {
            program = external_node_fs_namespaceObject.readFileSync(url, 'utf8');
        }
        catch (error) {
            const code = error.code ?? String(error);
            throw new UnreadableProgram(`${(0,external_node_url_.fileURLToPath)(url)} could not be read (${code})`);
        }
    }
    return program;
}
/** Launcher.pl's NAME=value arguments: syscall numbers, the output file's flags, EINTR, the grace. */
function launcherArguments(killGraceMs = DEFAULT_KILL_GRACE_MS) {
    const syscalls = SYSCALLS[process.arch];
    if (syscalls === undefined)
        throw new Error(`No launcher for ${process.arch}`);
    // A fresh file per attempt, created by the launcher alone: never an existing file or a link.
    const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW } = external_node_fs_namespaceObject.constants;
    const named = {
        ...syscalls,
        output_file_flags: O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW,
        EINTR: external_node_os_namespaceObject.constants.errno.EINTR,
        grace_ms: Math.max(0, Math.round(killGraceMs))
    };
    return Object.entries(named).map(([name, value]) => `${name}=${value}`);
}
/** Why tasks cannot be started through launchers on this machine, or undefined when they can. */
function launcherUnsupported(perl = LAUNCHER_PERL) {
    if (process.platform !== 'linux')
        return `launchers run on Linux only, not on ${process.platform}`;
    if (SYSCALLS[process.arch] === undefined)
        return `no launcher for ${process.arch}`;
    try {
        external_node_fs_namespaceObject.accessSync(perl, external_node_fs_namespaceObject.constants.X_OK);
        return undefined;
    }
    catch (error) {
        return `${perl} cannot be run: ${error.code ?? String(error)}`;
    }
}

;// CONCATENATED MODULE: ./src/exec/launcher-protocol.ts

/** The type byte of a request, after its 4-byte length (REQUEST_* in launcher.pl). */
const Request = {
    /** Run a task: length-prefixed cwd, output file, bytes framed before it, argc, argv, env. */
    Run: 0x52, // R
    /** Close the running task's output pipes (its background children may hold them). */
    Close: 0x43 // C
};
/** The type byte of a frame from the launcher, before its 4-byte value (FRAME_* in launcher.pl). */
const Frame = {
    /** Once, at start: 1 when the launcher is a child subreaper. */
    Ready: 0x52, // R
    /** Forked: the pid of what may now run. */
    Forked: 0x50, // P
    /** Exec succeeded. */
    Started: 0x53, // S
    /** Not started: errno, then one more byte, the FailedStep. */
    Failed: 0x46, // F
    /** The task's stdout: the length, then the bytes. */
    Stdout: 0x4f, // O
    /** The task's stderr: the length, then the bytes. */
    Stderr: 0x45, // E
    /** Bytes appended to the output file. */
    Written: 0x57, // W
    /** The task's process ended: its wait status. */
    Exited: 0x58, // X
    /** Both pipes closed: 1 when a process the task left is still the launcher's child. */
    Done: 0x44 // D
};
/** The step of a start that failed, in a Failed frame (STEP_* in launcher.pl). */
const FailedStep = {
    /** pipe(2), or making one the task's stdout or stderr. */
    Pipe: 0x70, // p
    Fork: 0x66, // f
    Setsid: 0x73, // s
    /** Opening /dev/null as the task's stdin. */
    DevNull: 0x6e, // n
    Chdir: 0x63, // c
    Exec: 0x65 // e
};
/** A frame's type byte and 4-byte value. */
const FRAME_HEADER_BYTES = 5;
/** The request that closes the running task's output pipes. */
const CLOSE_REQUEST = Buffer.from([0, 0, 0, 1, Request.Close]);
/** A Run request: cwd, output file, argument count, argv (file first), NAME=value strings. */
function encodeRequest(request) {
    // An empty cwd means ours, as for spawn.
    const file = request.outputFile;
    const strings = [
        request.cwd || process.cwd(),
        file?.path ?? '',
        String(file?.after ?? 0),
        String(request.args.length + 1),
        request.file
    ];
    for (const arg of request.args)
        strings.push(arg);
    for (const [name, value] of Object.entries(request.env ?? process.env)) {
        if (value !== undefined)
            strings.push(`${name}=${value}`);
    }
    if (request.marker !== undefined)
        strings.push(request.marker);
    let size = 4 + 1;
    const lengths = [];
    for (const text of strings) {
        // No string can carry a NUL byte: spawn refuses it with an error of its own.
        if (text.includes('\0'))
            return undefined;
        const length = Buffer.byteLength(text);
        lengths.push(length);
        size += 4 + length;
    }
    const buffer = Buffer.allocUnsafe(size);
    buffer.writeUInt32BE(size - 4, 0);
    buffer[4] = Request.Run;
    let offset = 5;
    strings.forEach((text, index) => {
        const length = lengths[index];
        buffer.writeUInt32BE(length, offset);
        buffer.write(text, offset + 4);
        offset += 4 + length;
    });
    return buffer;
}
/** The names of `constants` by value; the first name where two share one. */
function firstNames(constants) {
    const names = new Map();
    for (const [name, value] of Object.entries(constants))
        if (!names.has(value))
            names.set(value, name);
    return names;
}
// Where two names share a number (SIGABRT/SIGIOT, EAGAIN/EWOULDBLOCK), Node reports the first.
const ERRNO_NAMES = firstNames(external_node_os_namespaceObject.constants.errno);
const SIGNAL_NAMES = firstNames(external_node_os_namespaceObject.constants.signals);
/** The wait status of waitpid(2) as Node's 'exit' event reports it: [code, null] or [null, signal]. */
function decodeWaitStatus(status) {
    if (status === null)
        return [null, null];
    const signal = status & 0x7f;
    if (signal === 0)
        return [(status >> 8) & 0xff, null];
    return [null, SIGNAL_NAMES.get(signal) ?? null];
}
/** The error Node's spawn gives for the same failure, e.g. `spawn nosuch ENOENT`. */
function startError(file, errno, step) {
    const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
    const syscall = step === FailedStep.Fork ? 'fork' : step === FailedStep.Pipe ? 'pipe' : 'spawn';
    const message = syscall === 'spawn' ? `spawn ${file} ${code}` : `${syscall} ${code}`;
    const error = new Error(message);
    error.code = code;
    error.errno = -errno;
    error.syscall = `${syscall} ${file}`;
    error.path = file;
    return error;
}

;// CONCATENATED MODULE: ./src/exec/launcher-process.ts



/** How much of what perl prints (its own errors: the tasks have pipes of their own) is kept. */
const PERL_ERROR_CHARS = 2000;
/** One launcher process (launcher.pl run by perl); runs one task at a time. */
class Launcher {
    onIdle;
    onLost;
    child;
    buffered = Buffer.alloc(0);
    running;
    paused = false;
    /** Counts pauses, so that a pause's late end cannot resume a later one (or a later task). */
    pauses = 0;
    ready = false;
    /** Waits for release() after a task that left processes behind. */
    held = false;
    /** Whether the launcher adopts its tasks' orphans (it said so when ready). */
    subreaper = false;
    readyTimer;
    readyTimedOut = false;
    /** What perl printed, e.g. why it refused the program. */
    errors = '';
    /** Says how the launcher ended, once it has. */
    ending;
    ended = false;
    /** Bytes of the current output frame still to come, and whose they are. */
    dataLeft = 0;
    dataStream = 'stdout';
    dead = false;
    /**
     * `onIdle` is called once it is ready and after each task; `onLost` if it dies before it was
     * ready, which means perl cannot run it here (with why, once known). Throws what spawn throws.
     */
    constructor(perl, readyTimeoutMs, killGraceMs, onIdle, onLost) {
        this.onIdle = onIdle;
        this.onLost = onLost;
        this.child = (0,external_node_child_process_namespaceObject.spawn)(perl, ['-e', launcherProgram(), ...launcherArguments(killGraceMs)], {
            stdio: ['pipe', 'pipe', 'pipe'],
            // Nothing of the tasks' environment may change how perl itself behaves (PERL5OPT, ...).
            env: {}
        });
        this.ending = new Promise(resolve => {
            this.child.once('error', error => resolve(`${perl}: ${error.message}`));
            this.child.once('close', (code, signal) => resolve(this.describeEnd(perl, code, signal)));
        });
        this.child.stderr?.setEncoding('utf8');
        this.child.stderr?.on('data', (text) => {
            if (this.errors.length < PERL_ERROR_CHARS)
                this.errors += text.slice(0, PERL_ERROR_CHARS);
        });
        this.child.on('error', () => this.die());
        this.child.stdin?.on('error', () => this.die());
        this.child.stdout?.on('data', (chunk) => this.receive(chunk));
        // Only once all it wrote is read: 'exit' can come before the last frames.
        this.child.stdout?.on('close', () => {
            this.ended = true;
            this.parse();
        });
        // A task may be waiting for it: one that never gets ready is given up (the task is spawned).
        this.readyTimer = setTimeout(() => {
            this.readyTimedOut = true;
            this.child.kill('SIGKILL');
        }, readyTimeoutMs);
        this.readyTimer.unref();
        this.setRef(false);
    }
    /** Sends an encoded Run request; `running` hears what becomes of it. */
    launch(encoded, running) {
        this.running = running;
        this.setRef(true);
        this.child.stdin?.write(encoded);
    }
    /** Closes the output pipes of `running`, if it is still this launcher's task. */
    closeStdio(running) {
        if (this.running !== running || running.discard)
            return;
        running.discard = true;
        this.child.stdin?.write(CLOSE_REQUEST);
        // What was paused for its output is of no use now; the launcher must be read on.
        if (this.paused)
            this.resume(this.pauses);
    }
    /** The perl process's pid. */
    get pid() {
        return this.child.pid;
    }
    /** Takes the next task once the last one's leftovers are dealt with, or ends. */
    release(reuse) {
        if (!this.held)
            return;
        this.held = false;
        if (reuse)
            this.idle();
        else
            this.close();
    }
    /** Ends the launcher: it exits once its stdin closes. */
    close() {
        this.dead = true;
        this.child.stdin?.end();
        this.setRef(false);
    }
    /** Adds what the launcher wrote to what is left of the last read, and handles it. */
    receive(chunk) {
        this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
        this.parse();
    }
    /** Handles the frames received so far, until output waits for a pause to end. */
    parse() {
        while (!this.paused && this.buffered.length > 0) {
            const buffer = this.buffered;
            if (this.dataLeft > 0) {
                // Output is handed on as it arrives, in slices of what was read: never copied here.
                const length = Math.min(this.dataLeft, buffer.length);
                this.dataLeft -= length;
                this.buffered = buffer.subarray(length);
                this.deliver(buffer.subarray(0, length));
                continue;
            }
            if (buffer.length < FRAME_HEADER_BYTES)
                break;
            const type = buffer[0];
            // A Failed frame has one more byte: the step that failed.
            const size = type === Frame.Failed ? FRAME_HEADER_BYTES + 1 : FRAME_HEADER_BYTES;
            if (buffer.length < size)
                break;
            this.buffered = buffer.subarray(size);
            this.handle(type, buffer.readUInt32BE(1), buffer[FRAME_HEADER_BYTES]);
        }
        // Gone, and every frame it sent before going has been handled.
        if (this.ended && !this.paused)
            this.die();
    }
    /** Acts on one frame; an output frame's bytes follow it. */
    handle(type, value, step) {
        const running = this.running;
        switch (type) {
            case Frame.Stdout:
            case Frame.Stderr:
                this.dataLeft = value;
                this.dataStream = type === Frame.Stdout ? 'stdout' : 'stderr';
                return;
            case Frame.Failed:
                this.running = undefined;
                running?.failed(value, step);
                this.idle();
                return;
            case Frame.Ready:
                this.ready = true;
                this.subreaper = value === 1;
                clearTimeout(this.readyTimer);
                // Launched on demand, its first task may already be waiting.
                if (!running)
                    this.idle();
                return;
            case Frame.Forked:
                return running?.forked(value);
            case Frame.Started:
                return running?.started();
            case Frame.Written:
                // Counted even once discarded, as the bytes are in the file.
                return running?.appended?.(value);
            case Frame.Exited:
                return running?.exited(value);
            case Frame.Done:
                this.running = undefined;
                running?.done(value === 1);
                // Its leftovers are its children: no other task may start until they are stopped.
                if (value === 1 && running)
                    this.held = true;
                else
                    this.idle();
        }
    }
    /** Hands output to the task; a promise it returns pauses reading until it settles. */
    deliver(data) {
        const running = this.running;
        if (!running || running.discard || !running.onOutput)
            return;
        const wait = running.onOutput(data, this.dataStream);
        if (wait) {
            this.paused = true;
            const pause = ++this.pauses;
            this.child.stdout?.pause();
            void wait.finally(() => this.resume(pause));
        }
    }
    /** Ends the pause `pause` (not a later one) and reads on. */
    resume(pause) {
        if (!this.paused || pause !== this.pauses)
            return;
        this.pauses++;
        this.paused = false;
        this.child.stdout?.resume();
        this.parse();
    }
    /** Offers the launcher for the next task. */
    idle() {
        if (this.dead)
            return;
        this.setRef(false);
        this.onIdle(this);
    }
    /** The launcher is gone: its task, if any, is told it ended without a status. */
    die() {
        if (this.dead && !this.running)
            return;
        this.dead = true;
        this.setRef(false);
        if (!this.ready)
            this.onLost(this.ending);
        const running = this.running;
        this.running = undefined;
        running?.exited(null);
        running?.done(false);
    }
    /** Why a launcher that never got ready ended: perl's own words when it printed any. */
    describeEnd(perl, code, signal) {
        const how = this.readyTimedOut
            ? 'was not ready in time'
            : signal !== null
                ? `was killed by ${signal}`
                : `exited with code ${code}`;
        const errors = this.errors.trim();
        return `${perl} ${how} before the launcher was ready${errors ? `: ${errors}` : ''}`;
    }
    /** An idle launcher must not keep the action alive: it ends when our end of its stdin closes. */
    setRef(ref) {
        const handles = [this.child, this.child.stdin, this.child.stdout, this.child.stderr];
        for (const handle of handles) {
            if (ref)
                handle?.ref?.();
            else
                handle?.unref?.();
        }
    }
}

;// CONCATENATED MODULE: ./src/exec/launcher-task.ts



/** A promise settled from outside. */
function deferred() {
    let resolve;
    const promise = new Promise(done => (resolve = done));
    return { promise, resolve };
}
/** A task handed to a launcher: turns what the launcher reports into its outcome and process. */
class LauncherTask {
    launcher;
    request;
    lostBeforeFork;
    onOutput;
    discard = false;
    outcome = deferred();
    exit = deferred();
    closed = deferred();
    left = deferred();
    pid;
    stdioOpen = true;
    lost;
    hasExited = false;
    appendedBytes = 0;
    /** `lostBeforeFork` is called when the launcher died before it forked: nothing ran. */
    constructor(launcher, request, lostBeforeFork) {
        this.launcher = launcher;
        this.request = request;
        this.lostBeforeFork = lostBeforeFork;
        this.onOutput = request.onOutput;
    }
    /** Settles once: started, not started (as spawn reports it), or no launcher after all. */
    get result() {
        return this.outcome.promise;
    }
    /** Counts bytes the launcher appended to the output file, and passes the count on. */
    appended(bytes) {
        this.appendedBytes += bytes;
        this.request.outputFile?.appended(bytes);
    }
    /** Keeps the pid of what may now run. */
    forked(pid) {
        this.pid = pid;
    }
    /** Exec succeeded: the task is running. */
    started() {
        this.outcome.resolve({ process: this.process(this.pid) });
    }
    /** Not started: the error spawn would give. */
    failed(errno, step) {
        this.outcome.resolve({ error: startError(this.request.file, errno, step) });
    }
    /** Its process ended (the wait status), or its launcher died (null). */
    exited(status) {
        if (this.hasExited)
            return;
        this.hasExited = true;
        if (this.pid === undefined) {
            // It died before forking: nothing ran; spawn from now on.
            this.lostBeforeFork();
            this.outcome.resolve({ unavailable: true });
            return;
        }
        if (status === null) {
            // The task may be running (or have run) without us seeing how it ended. It must not run a
            // second time: report it lost; its group is stopped like any leftover.
            this.lost = 'the launcher that started this task stopped unexpectedly';
            countUnreported(this.request.outputFile, this.appendedBytes);
            this.started();
        }
        this.exit.resolve(decodeWaitStatus(status));
    }
    /** Both pipes closed; `leftovers` when a process it left is still the launcher's child. */
    done(leftovers) {
        this.stdioOpen = false;
        this.closed.resolve();
        // A look at /proc from before this frame may miss what the task started last.
        this.left.resolve(leftovers ? moment() : undefined);
    }
    /** The started task, as the caller sees it. */
    process(pid) {
        const launcher = this.launcher;
        return {
            pid,
            exited: this.exit.promise,
            stdioClosed: this.closed.promise,
            stdioOpen: () => this.stdioOpen,
            closeStdio: () => {
                if (!this.stdioOpen)
                    return;
                this.stdioOpen = false;
                launcher.closeStdio(this);
            },
            lostReason: () => this.lost,
            adopter: launcher.subreaper ? launcher.pid : undefined,
            leftovers: this.left.promise,
            release: reuse => launcher.release(reuse)
        };
    }
}
/**
 * A launcher that died may have appended bytes it did not get to report: the file is its alone
 * and nothing writes to it any more, so its size says how many.
 */
function countUnreported(file, reported) {
    if (file === undefined)
        return;
    try {
        const size = external_node_fs_namespaceObject.statSync(file.path).size;
        if (size > reported)
            file.appended(size - reported);
    }
    catch {
        // Never created: nothing was appended.
    }
}

;// CONCATENATED MODULE: ./src/exec/launcher.ts





/** A launcher is ready in a few ms; one that is not after this long is given up. */
const LAUNCHER_READY_TIMEOUT_MS = 5000;
/**
 * Tasks spawned (no launcher free) before launchers start being started in the background, when
 * the pool was not told to expect more tasks than slots: a launcher costs a spawn of its own plus
 * about 3 ms of perl's start-up, which a task or two run through it repay.
 */
const SPAWNS_BEFORE_LAUNCHERS = 8;
/** What a task does when every launcher is busy or still starting. */
var NoneFree;
(function (NoneFree) {
    /**
     * Start it with Node's spawn, and from the 8th such task on start one more launcher in the
     * background (a launcher costs a spawn and then some: a short run should not pay for it).
     */
    NoneFree["Spawn"] = "spawn";
    /** Start one more launcher and wait for it. */
    NoneFree["Wait"] = "wait";
})(NoneFree || (NoneFree = {}));
/**
 * Starting a process from Node costs a fork of the whole Node process (its page tables grow with
 * its memory), about 1.5 ms of the main thread per task. A launcher is a small long-lived perl
 * process per worker slot that forks and execs the tasks instead, at a fraction of that cost, and
 * relays their output. Linux only, and only where /usr/bin/perl exists; elsewhere tasks are
 * started with Node's spawn. Every guarantee of a spawned task holds: its own session and process
 * group, exactly the environment (in order) and working directory given, stdin from /dev/null,
 * separate stdout and stderr, exact exit codes and signals, and the start errors Node reports
 * (ENOENT, EACCES, ...). The pool keeps idle launchers, and starts one more whenever all are busy.
 */
class LauncherPool {
    idle = [];
    all = new Set();
    perl;
    /** Why launchers cannot be used at all, when they cannot. */
    unsupported;
    whenNoneFree;
    readyTimeoutMs;
    killGraceMs;
    starting = 0;
    spawned = 0;
    broken = false;
    /** Told once why launchers are not used any more (every task is spawned from then on). */
    onUnavailable;
    /** No launcher is started yet: the first tasks that need one start it. */
    constructor(options = {}) {
        this.perl = options.perl ?? LAUNCHER_PERL;
        this.unsupported =
            options.enabled === undefined
                ? launcherUnsupported(this.perl)
                : options.enabled
                    ? undefined
                    : 'launchers are turned off';
        this.whenNoneFree = options.whenNoneFree ?? NoneFree.Spawn;
        this.readyTimeoutMs = options.readyTimeoutMs ?? LAUNCHER_READY_TIMEOUT_MS;
        this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
        this.onUnavailable = options.onUnavailable;
    }
    /** Starts the command through a launcher; `unavailable` when there is none to use now. */
    launch(request) {
        // Said at the first task rather than at construction, when onUnavailable may not be set yet.
        if (this.unsupported !== undefined)
            this.disable(Promise.resolve(this.unsupported));
        if (this.broken)
            return Promise.resolve({ unavailable: true });
        let launcher = this.idle.pop();
        while (launcher?.dead)
            launcher = this.idle.pop();
        try {
            if (launcher || this.whenNoneFree === NoneFree.Wait) {
                // Encoded only when a launcher takes it: a task that is spawned needs no request.
                const encoded = encodeRequest(request);
                if (encoded === undefined) {
                    if (launcher)
                        this.idle.push(launcher);
                    return Promise.resolve({ unavailable: true });
                }
                return this.start(launcher ?? this.newLauncher(false), request, encoded);
            }
            // A launcher pays for its start-up after several tasks: a short run spawns them all. Then
            // one at a time, so there is at most one more launcher than tasks running at once.
            this.spawned++;
            if (this.spawned >= SPAWNS_BEFORE_LAUNCHERS && this.starting === 0)
                this.newLauncher(true);
        }
        catch (error) {
            // spawn threw (rather than reporting an 'error'), or launcher.pl could not be read.
            const reason = error instanceof UnreadableProgram
                ? error.message
                : `${this.perl} could not be started: ${String(error)}`;
            this.disable(Promise.resolve(reason));
        }
        return Promise.resolve({ unavailable: true });
    }
    /**
     * Says that `tasks` tasks are about to be started, at most `atOnce` at a time. When every slot
     * will run more than one, a launcher pays for itself: a task that finds none free then starts
     * one and waits for it (about 4 ms) rather than being spawned, so that no task of the run has
     * its output pass through a fork of the whole Node process.
     */
    expect(tasks, atOnce) {
        if (tasks > atOnce)
            this.whenNoneFree = NoneFree.Wait;
    }
    /** Ends every launcher (each exits once its stdin closes). */
    close() {
        for (const launcher of this.all)
            launcher.close();
        this.all.clear();
        this.idle.length = 0;
        this.starting = 0;
    }
    /** No launcher from now on; says why, once (the first reason is the one that counts). */
    disable(why) {
        if (this.broken)
            return;
        this.broken = true;
        void why.then(reason => this.onUnavailable?.(reason));
    }
    /** Starts one more launcher; `warming` when no task waits for it. */
    newLauncher(warming) {
        if (warming)
            this.starting++;
        let counted = warming;
        const uncount = () => {
            if (counted)
                this.starting--;
            counted = false;
        };
        try {
            const launcher = new Launcher(this.perl, this.readyTimeoutMs, this.killGraceMs, idle => {
                uncount();
                if (!idle.dead)
                    this.idle.push(idle);
            }, why => {
                uncount();
                this.disable(why);
                this.all.delete(launcher);
            });
            this.all.add(launcher);
            return launcher;
        }
        catch (error) {
            uncount();
            throw error;
        }
    }
    /** Hands the encoded request to `launcher`. */
    start(launcher, request, encoded) {
        const task = new LauncherTask(launcher, request, () => this.disable(Promise.resolve('a launcher stopped before it started its task')));
        launcher.launch(encoded, task);
        return task.result;
    }
}

;// CONCATENATED MODULE: ./src/exec/process-runner.ts









const DEFAULT_STDIO_GRACE_MS = 1000;
const EXIT_COMMAND_NOT_FOUND = 127;
const EXIT_NOT_EXECUTABLE = 126;
// setTimeout fires at once for longer delays; this is almost 25 days.
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Runs one command as the leader of its own process group and resolves once it has ended, its
 * output has been delivered and nothing of its group is left. Never rejects.
 */
async function runProcess(options) {
    const clock = startClock();
    if (options.signal?.aborted) {
        return clock.result({ exitCode: null, signal: null, timedOut: false, aborted: true });
    }
    // Linux: found in /proc/N/environ, so that what the task leaves can be found once re-parented.
    const marker = process.platform === 'linux' ? newTaskMarker() : undefined;
    const started = await startProcess(options, marker);
    if ('error' in started)
        return clock.result(await describeStartFailure(started.error, options));
    // What such a task leaves after it ended is only found by the sweep at the end of the run.
    if (started.adopter === undefined)
        unadoptedTasks = true;
    const triggers = new StopTriggers(options.timeoutMs, options.signal);
    const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    try {
        const first = await Promise.race([started.exited, triggers.timedOut, triggers.aborted]);
        triggers.clearTimer();
        const stopReason = Array.isArray(first) ? undefined : first;
        if (stopReason !== undefined) {
            await stopProcessTree(started, marker, killGraceMs, triggers.firedAt);
        }
        const [code, signal] = await started.exited;
        await closeOutput(started, options, stopReason ? undefined : triggers.aborted);
        await stopWhatItLeft(started, killGraceMs, stopReason);
        return clock.result({
            exitCode: code ?? exitCodeOfSignal(signal),
            signal,
            timedOut: stopReason === 'timeout',
            aborted: stopReason === 'abort',
            error: started.lostReason?.(),
            pid: started.pid
        });
    }
    finally {
        triggers.dispose();
    }
}
/** Starts the process through a launcher, or with spawn where none takes it. */
async function startProcess(options, marker) {
    const launchers = options.launchers === undefined ? sharedLaunchers() : options.launchers;
    if (launchers) {
        const outcome = await launchers.launch({ ...options, marker });
        if ('error' in outcome)
            return outcome;
        if ('process' in outcome)
            return outcome.process;
    }
    return startWithSpawn(options, marker);
}
/** What stops a running task early: its time limit, or the run's signal. */
class StopTriggers {
    signal;
    /** Settles when the time limit runs out; never without one. */
    timedOut;
    /** Settles when the signal aborts. */
    aborted;
    /** When a trigger fired, as `moment()`: the stop's first look must be read after it. */
    firedAt = 0;
    timer;
    onAbort;
    constructor(timeoutMs, signal) {
        this.signal = signal;
        this.timedOut = new Promise(resolve => {
            if (timeoutMs === undefined || !(timeoutMs > 0) || !Number.isFinite(timeoutMs))
                return;
            this.timer = setTimeout(() => this.fire(resolve, 'timeout'), Math.min(timeoutMs, MAX_TIMER_MS));
        });
        this.aborted = new Promise(resolve => {
            if (!signal)
                return;
            // Starting through a launcher takes a moment, in which the run may have halted.
            if (signal.aborted)
                return this.fire(resolve, 'abort');
            this.onAbort = () => this.fire(resolve, 'abort');
            signal.addEventListener('abort', this.onAbort, { once: true });
        });
    }
    /** The time limit no longer applies (the process ended, or is being stopped). */
    clearTimer() {
        clearTimeout(this.timer);
    }
    /** Stops listening to the signal. */
    dispose() {
        this.clearTimer();
        if (this.onAbort)
            this.signal?.removeEventListener('abort', this.onAbort);
    }
    fire(resolve, reason) {
        this.firedAt = moment();
        resolve(reason);
    }
}
/**
 * Closes the task's output once it is delivered: a background child may still hold stdout open,
 * so it waits at most the stdio grace, cut short when `abort` settles first.
 */
async function closeOutput(started, options, abort) {
    if (started.stdioOpen()) {
        const stdioGraceMs = options.stdioGraceMs ?? DEFAULT_STDIO_GRACE_MS;
        await raceWithTimer(abort ? [started.stdioClosed, abort] : [started.stdioClosed], stdioGraceMs);
    }
    started.closeStdio();
}
/** Stops what the ended task left running: through its launcher, or its process group. */
async function stopWhatItLeft(started, killGraceMs, stopReason) {
    const { adopter, pid } = started;
    // A task whose launcher died has no adopter any more: its group is stopped as a spawned one's.
    const lost = started.lostReason?.() !== undefined;
    if (lost)
        unadoptedTasks = true;
    if (adopter !== undefined && !lost) {
        // Its launcher still has a child: a process of this task (and the launcher waits for us).
        // Undefined, or when the launcher said so: a process the task left may have started just
        // before, so what /proc said earlier in this turn does not count.
        const leftAt = await started.leftovers;
        const stopped = leftAt === undefined ||
            (await stopProcesses(now => liveDescendants(adopter, now.processes()), pid, killGraceMs, leftAt));
        // One we may not signal (sudo) would be taken for every later task's: retire the launcher.
        started.release?.(stopped);
    }
    else if (stopReason === undefined) {
        // Nothing of a finished task may outlive it, e.g. `server &` at the end of a script.
        await stopLeftovers(pid, killGraceMs);
    }
}
/** Whether a task ran without an adopter: then only the sweep finds what it left. */
let unadoptedTasks = false;
/**
 * Stops every process any task of this run left that is still running (Linux: found by the
 * marker in their environment), SIGTERM then SIGKILL after the grace. For the end of the run, and
 * its cancellation; cheap when every task was started by a launcher that adopts orphans.
 */
async function stopRunLeftovers(graceMs = DEFAULT_KILL_GRACE_MS) {
    if (process.platform !== 'linux' || !unadoptedTasks)
        return;
    await stopProcesses(now => now.marked(runMarker()), undefined, graceMs, moment());
}
let process_runner_shared;
/** The launchers every task of this process shares. */
function sharedLaunchers() {
    process_runner_shared ??= new LauncherPool();
    return process_runner_shared;
}
/** Starts the process with Node's spawn: a fork of this whole process. */
async function startWithSpawn(options, marker) {
    let child;
    let env = options.env;
    if (marker !== undefined) {
        const split = marker.indexOf('=');
        env = { ...(env ?? process.env), [marker.slice(0, split)]: marker.slice(split + 1) };
    }
    try {
        child = (0,external_node_child_process_namespaceObject.spawn)(options.file, options.args, {
            cwd: options.cwd,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
            // A new process group (pgid = pid) so the whole tree can be signalled; Windows has no
            // groups (taskkill /T walks the tree) and detached there means a console of its own.
            detached: process.platform !== 'win32',
            windowsHide: true
        });
    }
    catch (error) {
        return { error };
    }
    const stdout = child.stdout;
    const stderr = child.stderr;
    const pid = child.pid;
    if (pid === undefined || stdout === null || stderr === null) {
        // Node reports ENOENT, EACCES, EMFILE and the like as an 'error' event after spawn returns.
        const error = await new Promise(resolve => child.once('error', resolve));
        stdout?.destroy();
        stderr?.destroy();
        return { error };
    }
    const onOutput = options.onOutput;
    if (onOutput) {
        const relay = (stream, name) => {
            stream.on('data', (chunk) => {
                const wait = onOutput(chunk, name);
                if (wait) {
                    stream.pause();
                    void wait.finally(() => stream.resume());
                }
            });
        };
        relay(stdout, 'stdout');
        relay(stderr, 'stderr');
    }
    else {
        stdout.resume();
        stderr.resume();
    }
    // Errors after a successful spawn (e.g. a failed kill) change nothing here, but must be handled.
    child.on('error', () => { });
    return {
        pid,
        exited: new Promise(resolve => child.once('exit', (code, signal) => resolve([code, signal]))),
        stdioClosed: Promise.all([process_runner_closed(stdout), process_runner_closed(stderr)]).then(() => undefined),
        stdioOpen: () => stdout.readable || stderr.readable,
        closeStdio: () => {
            stdout.destroy();
            stderr.destroy();
        },
        killMain: () => {
            if (child.exitCode === null && child.signalCode === null)
                child.kill('SIGKILL');
        }
    };
}
/** The taskkill invocation that force-stops a process tree on Windows (no shell involved). */
function taskkillCommand(pid, env = process.env) {
    const systemRoot = env.SystemRoot ?? 'C:\\Windows';
    return {
        file: external_node_path_namespaceObject.win32.join(systemRoot, 'System32', 'taskkill.exe'),
        args: ['/T', '/F', '/PID', String(pid)]
    };
}
/** 128 + the signal's number, as a shell reports a process killed by a signal. */
function exitCodeOfSignal(signal) {
    if (signal === null)
        return null;
    const number = external_node_os_namespaceObject.constants.signals[signal];
    return number === undefined ? null : 128 + number;
}
/**
 * Stops the task's whole tree: its process group and, on Linux, every process that left it — all
 * descendants of its adopting launcher, or else its descendants still linked to it and every
 * process carrying its marker.
 */
async function stopProcessTree(started, marker, graceMs, triggeredAt) {
    const pid = started.pid;
    if (process.platform === 'win32') {
        await runTaskkill(pid);
        // taskkill can fail (e.g. access denied); at least the main process must end.
        started.killMain?.();
        return;
    }
    const adopter = started.adopter;
    const find = adopter !== undefined
        ? (now) => liveDescendants(adopter, now.processes())
        : (now) => {
            const linked = liveDescendants(pid, now.processes());
            if (marker === undefined)
                return linked;
            return [...new Set([...linked, ...now.marked(marker)])];
        };
    await stopProcesses(find, pid, graceMs, triggeredAt);
}
async function stopLeftovers(pgid, graceMs) {
    // Windows has no process group to find what a finished process left behind.
    if (process.platform === 'win32')
        return;
    // Usually the group is already empty and this costs a single kill(2).
    if (!groupMayBeAlive(pgid) || !groupHasLiveMembers(pgid))
        return;
    await stopProcesses(() => [], pgid, graceMs, moment());
}
function runTaskkill(pid) {
    const { file, args } = taskkillCommand(pid);
    return new Promise(resolve => {
        try {
            const taskkill = (0,external_node_child_process_namespaceObject.spawn)(file, args, { stdio: 'ignore', windowsHide: true });
            taskkill.once('error', () => resolve());
            taskkill.once('exit', () => resolve());
        }
        catch {
            resolve(); // the caller falls back to killing the main process
        }
    });
}
async function describeStartFailure(error, options) {
    const code = error?.code;
    // isNativeError rather than instanceof: errors may come from another realm (vm, jest).
    let message = external_node_util_.types.isNativeError(error) ? error.message : String(error);
    // Some spawn errors are thrown as just "spawn ENOTDIR".
    if (!message.includes(options.file))
        message = `${message}: ${options.file}`;
    const failure = { signal: null, timedOut: false, aborted: false };
    // A missing or unusable cwd fails spawn with the same codes as a bad command, so look at the
    // cwd only after a failure rather than stat it before every spawn.
    if (options.cwd !== undefined && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES')) {
        const cwdProblem = await workingDirectoryProblem(options.cwd);
        if (cwdProblem !== undefined)
            return { ...failure, exitCode: null, error: cwdProblem };
    }
    // The shell's codes: 127 for a command that is not there, 126 for one that cannot be run.
    if (code === 'ENOENT')
        return { ...failure, exitCode: EXIT_COMMAND_NOT_FOUND, error: message };
    if (code === 'EACCES' || code === 'ENOTDIR') {
        return { ...failure, exitCode: EXIT_NOT_EXECUTABLE, error: message };
    }
    return { ...failure, exitCode: null, error: message };
}
async function workingDirectoryProblem(cwd) {
    try {
        const stats = await external_node_fs_namespaceObject.promises.stat(cwd);
        if (!stats.isDirectory())
            return `working directory is not a directory: ${cwd}`;
        await external_node_fs_namespaceObject.promises.access(cwd, external_node_fs_namespaceObject.constants.X_OK);
        return undefined;
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            return `working directory does not exist: ${cwd}`;
        if (code === 'EACCES')
            return `working directory cannot be entered: ${cwd}`;
        return `working directory ${cwd}: ${error.message}`;
    }
}
function process_runner_closed(stream) {
    return new Promise(resolve => {
        if (stream.closed)
            resolve();
        else
            stream.once('close', () => resolve());
    });
}
/** Waits for the first of `promises` or `ms`, whichever comes first, leaving no timer behind. */
async function raceWithTimer(promises, ms) {
    let timer;
    try {
        await Promise.race([...promises, new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
    }
    finally {
        clearTimeout(timer);
    }
}
function startClock() {
    const startedAt = Date.now();
    const startedTick = monotonicMs();
    return {
        result(fields) {
            // Duration from the monotonic clock; endedAt derived from it so the three agree.
            const durationMs = Math.round(monotonicMs() - startedTick);
            return { ...fields, startedAt, endedAt: startedAt + durationMs, durationMs };
        }
    };
}

;// CONCATENATED MODULE: ./src/exec/task-output.ts






const DEFAULT_MEMORY_LIMIT = 1024 * 1024;
/** Output kept per task for the summary, annotations and results file: lines, and bytes. */
const DEFAULT_TAIL_LINES = 50;
const DEFAULT_TAIL_BYTES = 8 * 1024;
// Small outputs get small blocks; big ones stop growing here so a block is never mostly empty.
const FIRST_BLOCK_SIZE = 4 * 1024;
const MAX_BLOCK_SIZE = 64 * 1024;
const REPLAY_READ_SIZE = 64 * 1024;
const REPLAY_YIELD_BYTES = 1024 * 1024;
// The tail window holds a few bytes beyond tailBytes: a final CR LF that is dropped, the line
// break in front of the oldest kept line (to know that line is whole), and UTF-8 alignment.
const TAIL_WINDOW_SLACK = 8;
const task_output_LF = 0x0a;
const task_output_CR = 0x0d;
/**
 * Everything one task prints (stdout and stderr, in arrival order), with bounded memory: the
 * first `memoryLimit` bytes stay in memory, the rest goes to temp files: its own, and those a
 * launcher wrote itself (see spillTarget). The last lines are kept separately in a small ring
 * buffer so tail() never re-reads the output.
 */
class TaskOutput {
    memoryLimit;
    tempDir;
    tailLines;
    tailBytes;
    retain;
    // Chunks are copied into blocks so many tiny writes don't cost one Buffer object each.
    blocks = [];
    lastBlockUsed = 0;
    memoryBytes = 0;
    /** Set once output went to a file: all later output goes to files too, to keep its order. */
    memoryClosed = false;
    /** What is not in memory, in order: ranges of this object's own spill file and of targets'. */
    segments = [];
    spillFile;
    spillFd;
    spillFileBytes = 0;
    /** Targets handed out, to remove their files. */
    targets = [];
    spillFailure;
    lostBytes = 0;
    // Allocated on the first write: most tasks of a large run print nothing.
    tailRingBuffer;
    tailRingEnd = 0;
    /** Bytes at the end of the last segment that the tail ring has not taken in yet. */
    tailBehind = 0;
    totalBytes = 0;
    disposed = false;
    constructor(options = {}) {
        this.memoryLimit = nonNegativeInteger(options.memoryLimit, DEFAULT_MEMORY_LIMIT);
        this.tempDir = options.tempDir ?? external_node_os_namespaceObject.tmpdir();
        this.tailLines = nonNegativeInteger(options.tailLines, DEFAULT_TAIL_LINES);
        this.tailBytes = nonNegativeInteger(options.tailBytes, DEFAULT_TAIL_BYTES);
        this.retain = options.retain ?? true;
    }
    /** Total bytes written, including any that could not be kept. */
    get byteLength() {
        return this.totalBytes;
    }
    /** Path of this object's own spill file, once output went past the memory limit. */
    get spillPath() {
        return this.spillFd !== undefined ? this.spillFile : undefined;
    }
    /**
     * A file someone else (a launcher) may append the output that comes next to, after writing
     * `after` more bytes here (at most `inMemoryAtMost`). Undefined when output is not kept.
     */
    spillTarget(inMemoryAtMost = Infinity) {
        if (!this.retain || this.disposed)
            return undefined;
        const path = this.newSpillPath();
        const after = Math.min(this.memoryRoom, inMemoryAtMost);
        const writtenBefore = this.totalBytes;
        let counted = 0;
        // Whoever writes it creates it only once `after` bytes went by: most tasks never get there.
        this.targets.push({
            path,
            mayExist: () => counted > 0 || this.totalBytes - writtenBefore >= after
        });
        const appended = (bytes) => {
            if (this.disposed || bytes <= 0)
                return;
            this.addSegment(path, counted, bytes);
            counted += bytes;
            this.totalBytes += bytes;
            this.tailBehind += bytes;
        };
        return { path, after, appended };
    }
    /** Bytes that could not be kept because writing the spill file failed (see spillError). */
    get droppedBytes() {
        return this.lostBytes;
    }
    /** Why the spill file could not be written, if it could not. */
    get spillError() {
        return this.spillFailure;
    }
    /** Appends a chunk; its bytes are copied, so the caller may reuse it. I/O errors don't throw. */
    write(chunk) {
        if (this.disposed)
            throw new Error('TaskOutput: write after dispose');
        if (chunk.length === 0)
            return;
        this.totalBytes += chunk.length;
        this.catchUpTail();
        this.appendToTail(chunk);
        if (!this.retain)
            return;
        const memoryRoom = this.memoryRoom;
        if (memoryRoom >= chunk.length) {
            this.appendToMemory(chunk);
            return;
        }
        if (memoryRoom > 0)
            this.appendToMemory(chunk.subarray(0, memoryRoom));
        this.appendToSpill(memoryRoom > 0 ? chunk.subarray(memoryRoom) : chunk);
    }
    /**
     * Streams everything written before the call, in order, to `sink`. A chunk handed over is never
     * modified later, so the sink may keep it, unless `sinkHoldsNothing` says after the chunk (and
     * the sink's promise, if it returned one) that the sink kept no reference to it: then the next
     * read from the spill file may go into the same buffer.
     */
    async replay(sink, sinkHoldsNothing) {
        if (this.disposed)
            throw new Error('TaskOutput: replay after dispose');
        // What exists now is what gets replayed, whatever is written meanwhile.
        const blocks = this.blocks.slice();
        const lastBlockUsed = this.lastBlockUsed;
        const segments = this.segments.map(segment => ({ ...segment }));
        for (const [index, block] of blocks.entries()) {
            await sink(block.subarray(0, index === blocks.length - 1 ? lastBlockUsed : block.length));
        }
        let buffer;
        let replayed = 0;
        for (const { path: file, start, bytes } of segments) {
            // Read synchronously: the file was just written and is in the page cache, and a thread-pool
            // round trip per read took about a fifth of a large replay's time.
            // Reopened by path in a folder tasks can write to: no FIFO or link put in its place is followed.
            const fd = external_node_fs_namespaceObject.openSync(file, READ_FLAGS);
            try {
                for (let position = start; position < start + bytes;) {
                    const left = start + bytes - position;
                    if (buffer === undefined || sinkHoldsNothing?.() !== true) {
                        buffer = Buffer.allocUnsafeSlow(Math.min(REPLAY_READ_SIZE, left));
                    }
                    const bytesRead = external_node_fs_namespaceObject.readSync(fd, buffer, 0, Math.min(buffer.length, left), position);
                    if (bytesRead === 0)
                        throw new Error(`TaskOutput: spill file ${file} is truncated`);
                    position += bytesRead;
                    replayed += bytesRead;
                    await sink(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
                    // A sink that never waits would otherwise keep the event loop from other tasks'
                    // output, timers and signals for the whole replay.
                    if (replayed % REPLAY_YIELD_BYTES < bytesRead)
                        await nextTurnOfEventLoop();
                }
            }
            finally {
                external_node_fs_namespaceObject.closeSync(fd);
            }
        }
    }
    /** The last lines, cut to tailLines and tailBytes. Still works after dispose(). */
    tail() {
        this.catchUpTail();
        const window = this.tailWindow();
        const windowOffset = this.totalBytes - window.length;
        if (this.tailLines === 0 || this.tailBytes === 0) {
            return { text: '', truncated: this.totalBytes > 0 };
        }
        let end = window.length;
        if (end > 0 && window[end - 1] === task_output_LF) {
            end--;
            if (end > 0 && window[end - 1] === task_output_CR)
                end--;
        }
        // Walk back over whole lines while they fit both limits.
        let start = end;
        let lineEnd = end;
        let lines = 0;
        let cutInsideLine = false;
        while (lines < this.tailLines) {
            const lineBreak = lineEnd === 0 ? -1 : window.lastIndexOf(task_output_LF, lineEnd - 1);
            const lineStart = lineBreak + 1;
            const lineBeginsBeforeWindow = lineBreak === -1 && windowOffset > 0;
            if (end - lineStart > this.tailBytes || lineBeginsBeforeWindow) {
                // A last line too long to show whole: keep its end rather than nothing.
                if (lines === 0) {
                    start = alignToCharacterStart(window, Math.max(lineStart, end - this.tailBytes), end);
                    cutInsideLine = true;
                }
                break;
            }
            start = lineStart;
            lines++;
            if (lineBreak === -1)
                break;
            lineEnd = lineBreak;
        }
        const truncated = cutInsideLine || windowOffset + start > 0;
        const text = window
            .subarray(start, end)
            .toString('utf8')
            .replace(/\r(?=\n)/g, '');
        return { text, truncated };
    }
    /**
     * Deletes the spill file and frees the kept output; idempotent. tail() stays available. The file
     * is removed off the main thread (removing a large file takes a while): await to know it is gone.
     */
    async dispose() {
        if (this.disposed)
            return;
        // tail() outlives the spill file.
        this.catchUpTail();
        this.disposed = true;
        this.blocks.length = 0;
        this.memoryBytes = 0;
        if (this.spillFd !== undefined) {
            try {
                external_node_fs_namespaceObject.closeSync(this.spillFd);
            }
            catch {
                // Already unusable; deleting the file below is what matters.
            }
            this.spillFd = undefined;
        }
        // A leftover process may still hold it open (EBUSY on Windows): the job's temp dir goes anyway.
        const files = this.targets.filter(target => target.mayExist()).map(target => target.path);
        if (this.spillFile !== undefined)
            files.push(this.spillFile);
        await Promise.all(files.map(file => external_node_fs_namespaceObject.promises.rm(file, { force: true }).catch(() => { })));
    }
    appendToMemory(bytes) {
        let offset = 0;
        while (offset < bytes.length) {
            let block = this.blocks[this.blocks.length - 1];
            if (block === undefined || this.lastBlockUsed === block.length) {
                block = Buffer.allocUnsafeSlow(this.nextBlockSize());
                this.blocks.push(block);
                this.lastBlockUsed = 0;
            }
            const copied = bytes.copy(block, this.lastBlockUsed, offset);
            this.lastBlockUsed += copied;
            this.memoryBytes += copied;
            offset += copied;
        }
    }
    nextBlockSize() {
        const previous = this.blocks[this.blocks.length - 1]?.length ?? FIRST_BLOCK_SIZE / 2;
        return Math.min(previous * 2, MAX_BLOCK_SIZE, this.memoryLimit - this.memoryBytes);
    }
    appendToSpill(bytes) {
        let offset = 0;
        try {
            if (this.spillFailure !== undefined)
                throw this.spillFailure;
            if (this.spillFd === undefined) {
                this.spillFile = this.newSpillPath();
                this.spillFd = external_node_fs_namespaceObject.openSync(this.spillFile, 'wx', 0o600);
            }
            while (offset < bytes.length) {
                const written = external_node_fs_namespaceObject.writeSync(this.spillFd, bytes, offset, bytes.length - offset);
                this.addSegment(this.spillFile, this.spillFileBytes, written);
                offset += written;
                this.spillFileBytes += written;
            }
        }
        catch (error) {
            // Output is not worth crashing the run for: keep counting and report it via spillError.
            this.spillFailure ??= external_node_util_.types.isNativeError(error) ? error : new Error(String(error));
            this.lostBytes += bytes.length - offset;
        }
    }
    get memoryRoom() {
        return this.memoryClosed ? 0 : this.memoryLimit - this.memoryBytes;
    }
    /** Output at `start` of `file` comes next: extends the last segment when it is the same run. */
    addSegment(file, start, bytes) {
        this.memoryClosed = true;
        const last = this.segments[this.segments.length - 1];
        if (last?.path === file && last.start + last.bytes === start)
            last.bytes += bytes;
        else
            this.segments.push({ path: file, start, bytes });
    }
    newSpillPath() {
        // Every task asks for a path (see spillTarget): one random part per process, then a count.
        spillNamePrefix ??= `task-output-${randomUUID()}`;
        return external_node_path_namespaceObject.join(this.tempDir, `${spillNamePrefix}-${++spillNameCount}.log`);
    }
    /** Takes the end of what a target's writer appended into the tail ring. */
    catchUpTail() {
        if (this.tailBehind === 0)
            return;
        const last = this.segments[this.segments.length - 1];
        const length = Math.min(this.tailBehind, this.tailRing.length, last.bytes);
        this.tailBehind = 0;
        const bytes = Buffer.allocUnsafe(length);
        let read = 0;
        try {
            const fd = external_node_fs_namespaceObject.openSync(last.path, READ_FLAGS);
            try {
                read = external_node_fs_namespaceObject.readSync(fd, bytes, 0, length, last.start + last.bytes - length);
            }
            finally {
                external_node_fs_namespaceObject.closeSync(fd);
            }
        }
        catch {
            // Only the tail shown in the summary suffers: the replay reports a missing file itself.
        }
        this.appendToTail(bytes.subarray(0, read));
    }
    get tailRing() {
        this.tailRingBuffer ??= Buffer.allocUnsafe(this.tailBytes + TAIL_WINDOW_SLACK);
        return this.tailRingBuffer;
    }
    appendToTail(chunk) {
        const ring = this.tailRing;
        const visible = chunk.length > ring.length ? chunk.subarray(chunk.length - ring.length) : chunk;
        const untilWrap = ring.length - this.tailRingEnd;
        if (visible.length <= untilWrap) {
            visible.copy(ring, this.tailRingEnd);
        }
        else {
            visible.copy(ring, this.tailRingEnd, 0, untilWrap);
            visible.copy(ring, 0, untilWrap);
        }
        this.tailRingEnd = (this.tailRingEnd + visible.length) % ring.length;
    }
    /** The last bytes of the output, oldest first. */
    tailWindow() {
        if (this.totalBytes === 0)
            return Buffer.alloc(0);
        const ring = this.tailRing;
        if (this.totalBytes < ring.length)
            return ring.subarray(0, this.totalBytes);
        return Buffer.concat([ring.subarray(this.tailRingEnd), ring.subarray(0, this.tailRingEnd)]);
    }
}
let spillNamePrefix;
let spillNameCount = 0;
function nextTurnOfEventLoop() {
    return new Promise(resolve => setImmediate(resolve));
}
function nonNegativeInteger(value, fallback) {
    if (value === undefined || !Number.isFinite(value))
        return fallback;
    return Math.max(0, Math.floor(value));
}
/** Moves `index` forward past UTF-8 continuation bytes so decoding doesn't start mid-character. */
function alignToCharacterStart(bytes, index, end) {
    let aligned = index;
    // A character is at most 4 bytes; further continuation bytes are invalid and decode as U+FFFD.
    while (aligned < end && aligned - index < 3 && (bytes[aligned] & 0xc0) === 0x80) {
        aligned++;
    }
    return aligned;
}

;// CONCATENATED MODULE: ./src/exec/command-task.ts






/**
 * Output a launcher hands to the action before it writes the rest to a file of its own (one per
 * attempt): Node collects buffers read from a pipe late (docs/decisions/012-scheduler-and-policies.md).
 */
const LAUNCHER_FRAMED_BYTES = 64 * 1024;
/** Renders, runs (with retries) and logs the command of one prepared item; the scheduler's task function. */
function commandTask(options) {
    // One set of files per worker slot, kept for every task that runs in it.
    const slotFiles = new Map();
    const stepFileCommands = options.stepFiles?.commands ?? [];
    const filesOf = (slot) => {
        const files = slotFiles.get(slot) ?? new TaskFiles(options.tempDir, slot, stepFileCommands);
        slotFiles.set(slot, files);
        return files;
    };
    return async (prepared, context) => {
        const overrides = prepared.overrides ?? {};
        const { index } = prepared;
        const seq = index + 1;
        const { slot, signal } = context;
        const command = options.template.usesSlot
            ? options.template.render(prepared.item, seq, slot)
            : prepared.command;
        const output = new TaskOutput({ tempDir: options.tempDir, retain: options.log.replaysOutput });
        const file = resolveProgram(command.file);
        const files = filesOf(slot);
        const { item, spawnRoom } = prepared;
        const { env, fileText } = itemEnvironment(options.env, overrides.env, { item, seq, slot, spawnRoom }, files);
        const onOutput = (chunk) => {
            output.write(chunk);
            return options.log.output(index, item, chunk);
        };
        const startedAt = Date.now();
        const attempted = await withRetries(async () => {
            // A failed attempt's outputs must not leak into the next one's.
            await files.reset(fileText);
            return runProcess({
                file,
                args: command.args,
                cwd: overrides.cwd ?? options.cwd,
                env,
                timeoutMs: overrides.timeoutMs ?? options.timeoutMs,
                signal,
                killGraceMs: options.killGraceMs,
                onOutput,
                outputFile: output.spillTarget(LAUNCHER_FRAMED_BYTES)
            });
        }, {
            retries: overrides.retries ?? options.retries ?? 0,
            baseDelayMs: options.retryDelayMs ?? 1000,
            signal,
            random: options.random,
            announce: line => void onOutput(Buffer.from(line))
        });
        const collected = await collectFiles(files, index);
        options.stepFiles?.add(index, collected.stepFiles);
        const record = taskRecord(prepared, command, slot, startedAt, attempted, output, collected);
        // Printing is queued, not awaited: the worker slot is free as soon as the process ends.
        void options.log.end(record, output);
        return { status: record.status, value: record };
    };
}
/** What the task wrote to its own files; what it did to them must not cost its output or record. */
async function collectFiles(files, index) {
    return files.collect(index).catch((error) => ({
        outputs: {},
        summary: '',
        stepFiles: undefined,
        problem: `Could not read the task's GITHUB_OUTPUT, GITHUB_STEP_SUMMARY or GITHUB_ENV: ${String(error)}`
    }));
}
/** The record of a task that ran: how its last attempt went, with its output and files. */
function taskRecord(prepared, command, slot, startedAt, { result, status, attempts }, output, collected) {
    return {
        index: prepared.index,
        item: prepared.item,
        status,
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: attempts === 1 ? result.durationMs : result.endedAt - startedAt,
        attempts,
        command: command.display,
        slot,
        startedAt: attempts === 1 ? result.startedAt : startedAt,
        endedAt: result.endedAt,
        outputTail: output.tail().text,
        error: result.error ?? collected.problem ?? null,
        outputs: collected.outputs,
        summary: collected.summary,
        needs: prepared.needs
    };
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __nccwpck_require__(8474);
;// CONCATENATED MODULE: ./src/exec/scheduler-queues.ts
/**
 * Items ready to start, highest priority first, then lowest index. Without priorities items
 * become ready in index order, so pushes append and this is a plain FIFO.
 */
class ReadyQueue {
    priority;
    queue = [];
    head = 0;
    constructor(priority) {
        this.priority = priority;
    }
    push(index) {
        const rank = this.priority(index);
        let at = this.queue.length;
        while (at > this.head && this.before(index, rank, this.queue[at - 1]))
            at--;
        this.queue.splice(at, 0, index);
    }
    pop() {
        if (this.head >= this.queue.length)
            return undefined;
        const index = this.queue[this.head++];
        // Drop the consumed front now and then, so a long run does not keep it all.
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue.splice(0, this.head);
            this.head = 0;
        }
        return index;
    }
    before(index, rank, other) {
        const otherRank = this.priority(other);
        return rank > otherRank || (rank === otherRank && index < other);
    }
}
/** Worker slots 1..concurrency not in use; take() gives the lowest, as GNU parallel does. */
class FreeSlots {
    /** Descending, so pop() gives the lowest. */
    free;
    constructor(concurrency) {
        this.free = Array.from({ length: concurrency }, (_, i) => concurrency - i);
    }
    take() {
        return this.free.pop();
    }
    release(slot) {
        let at = this.free.length;
        while (at > 0 && this.free[at - 1] < slot)
            at--;
        this.free.splice(at, 0, slot);
    }
}
/** Which items wait for which: an item is ready once every item it needs has succeeded. */
class Needs {
    waitingOn;
    /** dependents[i] lists the items that need i. */
    dependents;
    constructor(total, needs) {
        this.waitingOn = new Array(total).fill(0);
        this.dependents = Array.from({ length: total }, () => []);
        needs?.forEach((itemNeeds, index) => {
            this.waitingOn[index] = itemNeeds.length;
            for (const need of itemNeeds)
                this.dependents[need]?.push(index);
        });
    }
    /** Whether the item needs nothing that has not succeeded yet. */
    isReady(index) {
        return this.waitingOn[index] === 0;
    }
    /** Records that `index` succeeded; calls `ready` for each item that needs nothing more. */
    succeeded(index, ready) {
        for (const dependent of this.dependents[index] ?? []) {
            if (--this.waitingOn[dependent] === 0)
                ready(dependent);
        }
    }
    /** The items that need `index`. */
    dependentsOf(index) {
        return this.dependents[index] ?? [];
    }
}

;// CONCATENATED MODULE: ./src/exec/scheduler.ts




/**
 * Runs `task` once per item with at most `concurrency` running at once. A task's failure (a
 * report other than success, or a throw) never affects the others, except the items that need
 * it, which are skipped. Items start as soon as their needs have succeeded and a slot is free,
 * highest priority first, then in input order. Halting starts nothing more: every item not yet
 * started settles as `skipped` at once, so no promise is left waiting; running tasks see their
 * signal aborted unless the halt drains.
 */
async function runTasks(items, task, options) {
    const concurrency = options.concurrency;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
        throw new TypeError('Expected `concurrency` to be a number from 1 and up');
    }
    if (items.length === 0)
        return { outcomes: [], halt: undefined };
    return new Scheduler(items, task, options).run();
}
/** One run of runTasks: the ready queue, the free slots, the needs and each item's outcome. */
class Scheduler {
    items;
    task;
    options;
    total;
    outcomes;
    started;
    needs;
    ready;
    slots;
    stop = new AbortController();
    tally = { succeeded: 0, failed: 0 };
    pushReady = (index) => this.ready.push(index);
    halt;
    settledCount = 0;
    running = 0;
    finish = () => undefined;
    constructor(items, task, options) {
        this.items = items;
        this.task = task;
        this.options = options;
        this.total = items.length;
        this.outcomes = new Array(this.total);
        this.started = new Array(this.total).fill(false);
        // Every running task listens on this one signal; more than 10 is expected, not a leak.
        (0,external_node_events_.setMaxListeners)(0, this.stop.signal);
        this.needs = new Needs(this.total, options.needs);
        const priorities = options.priorities;
        this.ready = new ReadyQueue(index => priorities?.[index] ?? 0);
        for (let index = 0; index < this.total; index++) {
            if (this.needs.isReady(index))
                this.ready.push(index);
        }
        this.slots = new FreeSlots(options.concurrency);
    }
    /** Starts the policies and the first tasks, and resolves once every item has settled. */
    async run() {
        const finished = new Promise(resolve => (this.finish = resolve));
        const stops = [];
        try {
            for (const policy of this.options.policies ?? []) {
                if (policy.start)
                    stops.push(policy.start(request => this.haltRun(request)));
            }
            this.launch();
            await finished;
        }
        finally {
            for (const stopPolicy of stops)
                stopPolicy();
        }
        return { outcomes: this.outcomes, halt: this.halt };
    }
    /** Starts ready items while slots are free and the run has not halted. */
    launch() {
        while (this.halt === undefined && this.running < this.options.concurrency) {
            const index = this.ready.pop();
            if (index === undefined)
                break;
            this.started[index] = true;
            this.running++;
            const slot = this.slots.take();
            this.options.onStart?.(index, slot);
            void this.runOne(index, slot);
        }
        // Nothing running and nothing ready, yet items left: they wait on each other in a cycle.
        // Callers check for cycles first; this only keeps the promise from hanging if one slips by.
        if (this.running === 0 && this.settledCount < this.total && this.halt === undefined) {
            this.settleRest('its needs wait on each other in a cycle');
        }
    }
    /** Runs one task in its slot, settles it, asks the policies, and starts what can start next. */
    async runOne(index, slot) {
        let outcome;
        try {
            const report = await this.task(this.items[index], {
                index,
                slot,
                signal: this.stop.signal
            });
            outcome = { index, status: report.status, value: report.value, slot };
        }
        catch (error) {
            outcome = { index, status: TaskStatus.Failure, error, slot };
        }
        this.running--;
        this.slots.release(slot);
        if (outcome.status === TaskStatus.Success)
            this.tally.succeeded++;
        else if (outcome.status !== TaskStatus.Skipped)
            this.tally.failed++;
        this.settle(outcome);
        this.askPolicies(outcome.status);
        this.launch();
    }
    /** Halts on the first policy that asks to, as long as the run has not halted yet. */
    askPolicies(status) {
        for (const policy of this.options.policies ?? []) {
            if (this.halt !== undefined)
                return;
            const request = policy.onSettled?.(status, this.tally);
            if (request !== undefined)
                this.haltRun(request);
        }
    }
    /** Records an item's one outcome, and readies or skips the items that need it. */
    settle(outcome) {
        this.outcomes[outcome.index] = outcome;
        this.settledCount++;
        this.options.onSettled?.(outcome);
        if (outcome.status === TaskStatus.Success)
            this.needs.succeeded(outcome.index, this.pushReady);
        else
            this.skipDependents(outcome);
        if (this.settledCount === this.total)
            this.finish();
    }
    /** Skips the items that need one that did not succeed, and theirs in turn. */
    skipDependents(outcome) {
        for (const dependent of this.needs.dependentsOf(outcome.index)) {
            if (this.outcomes[dependent] !== undefined)
                continue;
            const reason = outcome.status === TaskStatus.Skipped
                ? `needs item ${outcome.index + 1}, which was skipped`
                : `needs item ${outcome.index + 1}, which ended ${outcome.status}`;
            this.settle({
                index: dependent,
                status: TaskStatus.Skipped,
                reason,
                blockedBy: outcome.index
            });
        }
    }
    /** Halts the run (the first reason stays), stopping running tasks unless it drains. */
    haltRun({ reason, mode }) {
        if (this.halt === undefined)
            this.halt = reason;
        if (mode === HaltMode.Cancel && !this.stop.signal.aborted)
            this.stop.abort(this.halt);
        // Nothing more starts: everything not started is skipped now, so no promise is left waiting.
        this.settleRest(`not started: ${this.halt.message}`);
    }
    /** Settles every item not started and not settled yet as skipped. */
    settleRest(reason) {
        for (let index = 0; index < this.total; index++) {
            if (this.outcomes[index] === undefined && !this.started[index]) {
                this.settle({ index, status: TaskStatus.Skipped, reason });
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/log/log-sink.ts

/**
 * A sink writing to a stream, with one shared promise for its next 'drain'. Node queues writes
 * to a pipe in memory without bound, so a gigabyte of task output must wait for the reader.
 */
function streamSink(stream) {
    let drained;
    const sink = data => {
        if (stream.write(data))
            return drained;
        drained ??= (0,external_node_events_.once)(stream, 'drain').then(() => {
            drained = undefined;
        });
        return drained;
    };
    // Nothing queued: every write went out (stdout to a file or pipe is written synchronously).
    sink.holdsNothing = () => stream.writableLength === 0;
    return sink;
}

;// CONCATENATED MODULE: ./src/log/task-log.ts








/** Longest line fragment a stream-mode task may hold back while waiting for its newline. */
const MAX_PENDING_LINE = 64 * 1024;
/** The one line that says how a task ended: used as a group title and in the failures log. */
function taskHeadline(record, total) {
    const how = record.status === TaskStatus.Success
        ? `succeeded in ${formatDuration(record.durationMs)}`
        : record.status === TaskStatus.Skipped
            ? 'skipped'
            : `${record.status}${task_log_exitDetail(record)} after ${formatDuration(record.durationMs)}`;
    const retried = record.attempts > 1 ? ` (${record.attempts} attempts)` : '';
    return `${STATUS_MARK[record.status]} [${record.index + 1}/${total}] ${itemLabel(record.item)}: ${how}${retried}`;
}
function task_log_exitDetail(record) {
    if (record.signal !== null)
        return ` (${record.signal}, exit code ${record.exitCode})`;
    if (record.exitCode !== null)
        return ` (exit code ${record.exitCode})`;
    return '';
}
/**
 * Prints task output according to the log mode, with workflow commands in it neutralised as
 * `commands` says. Grouped output is printed whole when a task ends, one task at a time, so
 * groups never interleave; stream output is printed line by line with a prefix, holding back only
 * a task's unfinished line. A line the mode lets act as a command is printed without the prefix,
 * after a line with the prefix alone, so that it acts in stream mode exactly as in grouped mode.
 * Every line of our own (headlines, errors, the action's notes) goes through ownLine: item and
 * task text in it can start no command.
 */
class TaskLog {
    mode;
    total;
    sink;
    commands;
    printing = Promise.resolve();
    pendingLines = new Map();
    /** Tasks whose last printed piece was cut from a longer line: the next piece is not a line start. */
    continued = new Set();
    /** Each running task's two stream prefixes, built once: before a line, and as a line of its own. */
    prefixes = new Map();
    /** Stream mode prints complete lines of all tasks in one sequence, so one guard serves them all. */
    streamGuard;
    constructor(mode, total, sink, commands = WorkflowCommands.Annotations) {
        this.mode = mode;
        this.total = total;
        this.sink = sink;
        this.commands = commands;
        this.streamGuard = new CommandGuard(commands);
    }
    /** True when a task's output has to be kept whole to be printed when it ends. */
    get replaysOutput() {
        return this.mode === LogMode.Grouped || this.mode === LogMode.Failures;
    }
    /**
     * A chunk of a running task's output (stream mode prints it; other modes wait for the end).
     * Returns a promise when the log is backed up: the task's output should pause until it settles.
     */
    output(index, item, chunk) {
        if (this.mode !== LogMode.Stream)
            return;
        const pending = this.pendingLines.get(index);
        const data = pending ? Buffer.concat([pending, chunk]) : chunk;
        let wait = undefined;
        let start = 0;
        for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
            wait = this.printStreamLine(index, item, data.subarray(start, newline + 1));
            start = newline + 1;
        }
        let rest = data.subarray(start);
        if (rest.length > MAX_PENDING_LINE) {
            // A very long line is printed in pieces rather than held without bound.
            wait = this.printStreamLine(index, item, Buffer.concat([rest, NEWLINE]));
            this.continued.add(index);
            rest = Buffer.alloc(0);
        }
        // The unfinished line is copied: the chunk it came from may be reused by the stream.
        if (rest.length > 0)
            this.pendingLines.set(index, Buffer.from(rest));
        else
            this.pendingLines.delete(index);
        return wait;
    }
    /**
     * A task has ended: print what the mode asks for, then dispose of its output. Resolves once
     * printed; calls are printed in the order they are made.
     */
    end(record, output) {
        this.printing = this.printing.then(() => this.print(record, output).catch((error) => {
            this.sink(ownLine(`Could not print the output of task ${record.index + 1}: ${String(error)}`));
        }));
        return this.printing;
    }
    /**
     * Lines of the action's own, already safe to print (whole lines, from actions-core): printed
     * between tasks' output, never inside a group or a task's line. In stream mode a command of ours
     * first closes any neutralisation the task output opened, so that it is acted on; a plain line
     * can be printed inside it (each neutralisation costs a token the runner keeps as a secret).
     */
    own(text) {
        if (this.mode === LogMode.Stream) {
            if (text.startsWith('::'))
                this.printAll(this.streamGuard.end());
            this.sink(text);
            return;
        }
        this.printing = this.printing.then(() => void this.sink(text));
    }
    /** Resolves when everything handed to end() has been printed and the log is ours again. */
    async finish() {
        // Lines handed over while waiting are waited for too.
        for (let printing; printing !== this.printing;) {
            printing = this.printing;
            await printing;
        }
        if (this.mode === LogMode.Stream)
            this.printAll(this.streamGuard.end());
    }
    async print(record, output) {
        try {
            const headline = taskHeadline(record, this.total);
            switch (this.mode) {
                case LogMode.Grouped:
                    await this.printGroup(headline, record, output);
                    break;
                case LogMode.Failures:
                    if (isUnsuccessful(record.status))
                        await this.printGroup(headline, record, output);
                    else
                        this.sink(ownLine(headline));
                    break;
                case LogMode.Stream: {
                    const pending = this.pendingLines.get(record.index);
                    if (pending) {
                        this.pendingLines.delete(record.index);
                        await this.printStreamLine(record.index, record.item, Buffer.concat([pending, NEWLINE]));
                    }
                    this.continued.delete(record.index);
                    this.prefixes.delete(record.index);
                    this.printAll(this.streamGuard.write(Buffer.from(ownLine(headline))));
                    break;
                }
                case LogMode.None:
                    break;
            }
        }
        finally {
            await output.dispose();
        }
    }
    async printGroup(headline, record, output) {
        const open = `::group::${escapeCommandData(neutraliseInline(headline))}\n`;
        const error = record.error === null ? '' : ownLine(record.error);
        // Most tasks print nothing: one write for the whole group rather than three.
        if (output.byteLength === 0) {
            this.sink(`${open}${error}::endgroup::\n`);
            return;
        }
        this.sink(open + error);
        const guard = new CommandGuard(this.commands);
        let last = 10;
        const print = (buffers) => {
            let wait = undefined;
            for (const buffer of buffers) {
                if (buffer.length === 0)
                    continue;
                last = buffer[buffer.length - 1];
                wait = this.sink(buffer);
            }
            return wait;
        };
        try {
            try {
                await output.replay(chunk => print(guard.write(chunk)), this.sink.holdsNothing);
            }
            finally {
                // What the guard still holds back was read already: it is printed whatever came after.
                await print(guard.end());
            }
            if (output.droppedBytes > 0) {
                // Said on a line of its own, after the output that was kept.
                if (last !== 10)
                    this.sink('\n');
                last = 10;
                this.sink(ownLine(`${output.droppedBytes} bytes of output could not be kept and are missing above: ` +
                    `${String(output.spillError?.message ?? 'unknown error')}`));
            }
        }
        finally {
            // Whatever failed, the group is closed, or the rest of the log would sit inside it.
            // ::endgroup:: only counts at the start of a line.
            if (last !== 10)
                this.sink('\n');
            this.sink('::endgroup::\n');
        }
    }
    /**
     * One line of a task in stream mode (ending with "\n"), after its prefix; or, when the runner
     * is to act on it as a command, alone after a line holding the prefix.
     */
    printStreamLine(index, item, line) {
        // A piece cut from a longer line was not at a line start in the task's output.
        const continued = this.continued.delete(index);
        let prefix = this.prefixes.get(index);
        if (prefix === undefined) {
            const text = streamPrefix(index, item);
            prefix = { inline: Buffer.from(`${text} `), alone: Buffer.from(`${text} ⤵\n`) };
            this.prefixes.set(index, prefix);
        }
        const command = !continued && passesAsCommand(line, this.commands);
        this.printAll(this.streamGuard.write(command ? prefix.alone : prefix.inline));
        return this.printAll(this.streamGuard.write(line));
    }
    printAll(buffers) {
        let wait = undefined;
        for (const buffer of buffers)
            if (buffer.length > 0)
                wait = this.sink(buffer);
        return wait;
    }
}
const NEWLINE = Buffer.from('\n');
/** A line of our own carrying item or task text, none of which can start a command. */
function ownLine(text) {
    return `${neutraliseInline(text)}\n`;
}
/** The prefix of a stream-mode line: the task's number and item, unable to start a command. */
function streamPrefix(index, item) {
    return `[${index + 1} ${neutraliseInline(itemLabel(item, 40))}]`;
}
/** Escapes text for a workflow command's message (as @actions/core): `%`, CR and LF. */
const escapeCommandData = escapeData;

;// CONCATENATED MODULE: ./src/exec/halt-policies.ts

/** Halts once `limit` tasks have ended other than `success` (fail-fast). */
class FailFast {
    limit;
    mode;
    constructor(limit, mode = HaltMode.Cancel) {
        this.limit = limit;
        this.mode = mode;
    }
    onSettled(_status, { failed }) {
        if (failed < this.limit)
            return undefined;
        const what = `${failed} ${failed === 1 ? 'task' : 'tasks'} did not succeed`;
        return { reason: new Halt(HaltKind.Failures, `fail-fast: ${what}`), mode: this.mode };
    }
}
/** Halts once `count` tasks have succeeded (stop-on-success). */
class StopOnSuccess {
    count;
    mode;
    constructor(count, mode = HaltMode.Cancel) {
        this.count = count;
        this.mode = mode;
    }
    onSettled(_status, { succeeded }) {
        if (succeeded < this.count)
            return undefined;
        const what = `${succeeded} ${succeeded === 1 ? 'task' : 'tasks'} succeeded`;
        return { reason: new Halt(HaltKind.Successes, `stop-on-success: ${what}`), mode: this.mode };
    }
}
/** Halts once the run's time budget runs out; running tasks are stopped and report `timed-out`. */
class TotalTimeout {
    budgetMs;
    constructor(budgetMs) {
        this.budgetMs = budgetMs;
    }
    start(halt) {
        const reason = new Halt(HaltKind.Timeout, `total-timeout of ${this.budgetMs} ms ran out`);
        const timer = setTimeout(() => halt({ reason, mode: HaltMode.Cancel }), this.budgetMs);
        return () => clearTimeout(timer);
    }
}
/** Halts when the caller's signal aborts (the runner's SIGTERM); running tasks are stopped. */
class Cancellation {
    signal;
    constructor(signal) {
        this.signal = signal;
    }
    start(halt) {
        const { signal } = this;
        const onAbort = () => {
            const reason = signal.reason;
            halt({
                reason: reason instanceof Halt ? reason : new Halt(HaltKind.Cancelled, String(reason)),
                mode: HaltMode.Cancel
            });
        };
        if (signal.aborted)
            onAbort();
        else
            signal.addEventListener('abort', onAbort, { once: true });
        return () => signal.removeEventListener('abort', onAbort);
    }
}

;// CONCATENATED MODULE: ./src/run/halt-settings.ts




/** The halt policies the execution settings ask for, in the order the scheduler asks them. */
function haltPolicies(settings, maxFailures, cancellation) {
    const policies = [];
    if (maxFailures)
        policies.push(new FailFast(maxFailures, settings.failFastMode));
    if (settings.stopOnSuccess) {
        policies.push(new StopOnSuccess(settings.stopOnSuccess, settings.failFastMode));
    }
    policies.push(new Cancellation(cancellation));
    if (settings.totalTimeoutMs !== undefined)
        policies.push(new TotalTimeout(settings.totalTimeoutMs));
    return policies;
}
/** The number of unsuccessful tasks that halts the run, or undefined for never. */
function failureLimit(threshold, total) {
    if (threshold === undefined)
        return undefined;
    if ('count' in threshold)
        return threshold.count;
    // GNU parallel's fail=N%: a percentage of all the jobs, so at least one.
    return Math.max(1, Math.ceil((total * threshold.percent) / 100));
}
/** The limits part of the "Running N items" line. */
function describeLimits(settings, maxFailures) {
    const parts = [
        `fail-fast: ${maxFailures === undefined ? 'off' : `after ${maxFailures}, ${settings.failFastMode}`}`,
        `timeout: ${settings.timeoutMs === undefined ? 'none' : formatDuration(settings.timeoutMs)}`
    ];
    if (settings.stopOnSuccess !== undefined)
        parts.push(`stop-on-success: ${settings.stopOnSuccess}`);
    if (settings.totalTimeoutMs !== undefined) {
        parts.push(`total-timeout: ${formatDuration(settings.totalTimeoutMs)}`);
    }
    if (settings.retries > 0)
        parts.push(`retries: ${settings.retries}`);
    return parts.join(', ');
}
/** Why the run halted, for the report: after one failure, which task it was. */
function describeHalt(halt, maxFailures, firstFailure, prepared) {
    if (halt === undefined)
        return null;
    if (halt.kind === HaltKind.Failures && maxFailures === 1 && firstFailure !== undefined) {
        const failed = prepared[firstFailure.index];
        const item = itemLabel(failed.item, 60);
        return `fail-fast after task ${failed.index + 1} (${item}) ended ${firstFailure.status}`;
    }
    return halt.message;
}

;// CONCATENATED MODULE: ./src/exec/step-files.ts



/** Most bytes of one task's GITHUB_ENV or GITHUB_PATH file that are applied. */
const MAX_TASK_STEP_FILE_BYTES = 1024 * 1024;
/**
 * Parses a GITHUB_ENV file with the runner's rules: its variables in order, or the problem, naming
 * the line, for which the runner would refuse the file (see parseKeyValueFile).
 */
function parseEnvFile(text) {
    return parseKeyValueFile(text, { strict: true });
}
/** The non-empty lines of a GITHUB_PATH file, read as the runner does. */
function fileLines(text) {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    return body.split(/\r\n|\r|\n/).filter(line => line !== '');
}
/**
 * The runner file commands a task wrote to, kept aside during the run and applied to the step's
 * files after it, task by task in input order, so later steps see what each task wrote as if the
 * tasks had run one after another in input order (for GITHUB_ENV, a later task's value of a name
 * wins; for GITHUB_PATH, a later task's directories come first).
 */
class StepFiles {
    targets;
    /** Each task's files by index: command name → the file holding what the task wrote. */
    written = new Map();
    /** `targets`: the step's file for each command the runner set (see stepFileTargets). */
    constructor(targets) {
        this.targets = targets;
    }
    /** The commands each task gets a file of its own for. */
    get commands() {
        return Object.keys(this.targets);
    }
    /** Records the files the task at `index` wrote (its last attempt's). */
    add(index, files) {
        if (files !== undefined)
            this.written.set(index, files);
    }
    /**
     * Appends every task's files to the step's, in input order, and removes them. A file the runner
     * would refuse or that is too large is left out with a warning naming the task (`describe`), so
     * that it cannot spoil what the other tasks wrote; a GITHUB_ENV name the runner refuses
     * (NODE_OPTIONS) is the runner's to report.
     */
    apply(describe, warn) {
        const indexes = [...this.written.keys()].sort((a, b) => a - b);
        for (const index of indexes) {
            for (const [name, path] of Object.entries(this.written.get(index) ?? {})) {
                const target = this.targets[name];
                if (target === undefined)
                    continue;
                let problem;
                try {
                    problem = applyFile(name, path, target);
                }
                catch (error) {
                    problem = String(error);
                }
                if (problem !== undefined)
                    warn(`${describe(index)}: its ${name} was not applied: ${problem}.`);
                (0,external_node_fs_namespaceObject.rmSync)(path, { force: true });
            }
        }
        this.written.clear();
    }
}
/** Appends one task's file to the step's; the reason when it cannot be. */
function applyFile(name, path, target) {
    // A process the task left behind may have put something else there since (a FIFO would block).
    const file = readPlainFile(path, MAX_TASK_STEP_FILE_BYTES, true);
    if (file === undefined)
        return 'it is no longer a plain file';
    const size = file.size;
    if (size > MAX_TASK_STEP_FILE_BYTES) {
        return `it holds ${size.toLocaleString('en-US')} bytes, more than the ${MAX_TASK_STEP_FILE_BYTES.toLocaleString('en-US')} applied`;
    }
    const text = file.bytes.toString('utf8');
    let addition;
    if (name === 'GITHUB_ENV') {
        const parsed = parseEnvFile(text);
        if ('problem' in parsed)
            return parsed.problem;
        addition = serializeEnvEntries(parsed.entries);
    }
    else {
        const lines = fileLines(text);
        addition = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    }
    if (addition !== '')
        (0,external_node_fs_namespaceObject.appendFileSync)(target, addition, 'utf8');
    return undefined;
}

;// CONCATENATED MODULE: ./src/log/progress.ts

/**
 * One progress line: done/total, failures, running, elapsed and an estimate of the time left
 * from the pace so far (omitted until something has finished).
 */
function progressLine(state) {
    const { done, total, failed, running, elapsedMs } = state;
    const left = total - done;
    const estimate = done > 0 && left > 0 ? `, about ${formatDuration((elapsedMs / done) * left)} left` : '';
    return (`Progress: ${done}/${total} done, ${failed} not succeeded, ${running} running, ` +
        `${formatDuration(elapsedMs)} elapsed${estimate}`);
}
/**
 * Prints a progress line every `intervalMs` while a run goes on; returns the function that stops
 * it. The timer does not keep the process alive.
 */
function startProgress(intervalMs, state, print) {
    const timer = setInterval(() => print(progressLine(state())), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
}

;// CONCATENATED MODULE: ./src/run/task-lines.ts





/** How often a progress line is printed while tasks run. */
const PROGRESS_INTERVAL_MS = 30_000;
/** Counts done, unsuccessful and running tasks, and prints a progress line now and then. */
class Progress {
    total;
    /** When the run's tasks began: the progress line's and the report's clock. */
    startedAt = Date.now();
    done = 0;
    unsuccessful = 0;
    running = 0;
    /** Stops the progress lines. */
    stop;
    constructor(total) {
        this.total = total;
        this.stop = startProgress(PROGRESS_INTERVAL_MS, () => ({
            done: this.done,
            total: this.total,
            failed: this.unsuccessful,
            running: this.running,
            elapsedMs: Date.now() - this.startedAt
        }), info);
    }
    started() {
        this.running++;
    }
    settled(outcome) {
        this.done++;
        if (outcome.slot !== undefined)
            this.running--;
        if (isUnsuccessful(outcome.status))
            this.unsuccessful++;
    }
}
/** Keeps the first task that did not succeed, for the halt reason of a fail-fast after one. */
class FirstFailure {
    outcome;
    settled(outcome) {
        if (isUnsuccessful(outcome.status))
            this.outcome ??= outcome;
    }
}
/** Prints a line for each task skipped because a task it needs did not succeed. */
class SkippedLines {
    prepared;
    numbering;
    statuses = [];
    constructor(prepared, numbering) {
        this.prepared = prepared;
        this.numbering = numbering;
    }
    settled(outcome) {
        this.statuses[outcome.index] = outcome.status;
        if (outcome.blockedBy === undefined)
            return;
        info(skippedLine(this.prepared, outcome.index, outcome.blockedBy, this.statuses, this.numbering));
    }
}
/** Prints a debug line as each task starts and ends. */
class DebugLines {
    prepared;
    constructor(prepared) {
        this.prepared = prepared;
    }
    started(index, slot) {
        const item = itemLabel(this.prepared[index]?.item ?? '');
        debug(`Task ${this.numberOf(index)} started in slot ${slot}: ${item}`);
    }
    settled(outcome) {
        debug(`Task ${this.numberOf(outcome.index)} ended: ${outcome.status}`);
    }
    /** Tasks are numbered by their place in the whole input, also under `shard`. */
    numberOf(position) {
        return this.prepared[position].index + 1;
    }
}
/** The line for a task skipped because a task it needs did not succeed. */
function skippedLine(prepared, index, blockedBy, statuses, total) {
    const task = prepared[index];
    const need = itemLabel(prepared[blockedBy].item);
    const status = statuses[blockedBy];
    const how = status === TaskStatus.Failure
        ? 'failed'
        : status === TaskStatus.TimedOut
            ? 'timed out'
            : `was ${status ?? 'not run'}`;
    return `⏭️ [${task.index + 1}/${total}] ${itemLabel(task.item)} skipped: needs ${need}, which ${how}`;
}

;// CONCATENATED MODULE: ./src/run/run-resources.ts









/**
 * What a run sets up around its tasks and takes down after them: the task log (and our lines
 * routed through it), the job log, progress lines, the launchers, the stopping of what tasks
 * left behind, and the step's file commands.
 */
class RunResources {
    plan;
    workDirectory;
    workers;
    cancellation;
    log;
    jobLog;
    progress;
    stepFiles;
    logFinished = false;
    // On cancellation, what finished tasks left is stopped at once, alongside the running tasks.
    stopLeftoversNow = () => {
        setImmediate(() => void stopRunLeftovers());
    };
    constructor(settings, plan, workDirectory, workers, cancellation, sink) {
        this.plan = plan;
        this.workDirectory = workDirectory;
        this.workers = workers;
        this.cancellation = cancellation;
        const total = plan.prepared.length;
        // Under `shard`, tasks are numbered by their place among all the items.
        const numbering = plan.shard?.itemCount ?? total;
        this.log = new TaskLog(settings.log, numbering, sink, settings.workflowCommands);
        this.jobLog = new JobLog(workDirectory);
        // From here on every line of ours goes through the task log, between tasks' output.
        routeLog(text => this.log.own(text));
        this.progress = new Progress(total);
        this.stepFiles = new StepFiles(stepFileTargets(process.env));
        const launchers = sharedLaunchers();
        launchers.expect(total, workers);
        launchers.onUnavailable = reason => {
            debug(`Tasks are started with spawn from now on: ${reason}`);
        };
        cancellation.addEventListener('abort', this.stopLeftoversNow, { once: true });
    }
    /** What every command task of the run shares. */
    taskOptions(settings) {
        return {
            template: this.plan.template,
            cwd: settings.workingDirectory,
            env: taskEnvironment(process.env),
            timeoutMs: settings.timeoutMs,
            retries: settings.retries,
            retryDelayMs: settings.retryDelayMs,
            log: this.log,
            tempDir: this.workDirectory,
            stepFiles: this.stepFiles
        };
    }
    /** Prints what the task log still holds. */
    async finishLog() {
        await this.log.finish();
        this.logFinished = true;
    }
    /** Takes down what the run set up, also after an error; stops whatever tasks left running. */
    async close() {
        this.cancellation.removeEventListener('abort', this.stopLeftoversNow);
        this.progress.stop();
        this.jobLog.close();
        removeItemFiles(this.workDirectory, this.workers);
        // Also after an error: a group still printing or an open neutralisation would swallow the
        // failure the step reports next.
        if (!this.logFinished)
            await this.log.finish().catch(() => undefined);
        routeLog();
        // Nothing a task started may outlive the action (a double fork, `setsid -f`).
        await stopRunLeftovers();
    }
    /** Applies what each task wrote to GITHUB_ENV and GITHUB_PATH, whatever the tasks' statuses. */
    applyStepFiles() {
        const { prepared } = this.plan;
        this.stepFiles.apply(index => {
            const item = prepared.find((candidate) => candidate.index === index)?.item ?? '';
            return `Task ${index + 1} (${itemLabel(item, 60)})`;
        }, warning);
    }
}

;// CONCATENATED MODULE: ./src/run/task-observer.ts
/** Runs `afterTask` for each task as it ends, while others go on; finished() waits for all. */
class AfterEachTask {
    afterTask;
    pending = [];
    constructor(afterTask) {
        this.afterTask = afterTask;
    }
    settled(outcome) {
        if (outcome.value !== undefined)
            this.pending.push(this.afterTask(outcome.value));
    }
    async finished() {
        await Promise.all(this.pending);
    }
}
/** The scheduler's onStart and onSettled, calling each observer in order. */
function notifyAll(observers) {
    const starting = observers.filter(observer => observer.started !== undefined);
    const settling = observers.filter(observer => observer.settled !== undefined);
    return {
        onStart: (index, slot) => {
            for (const observer of starting)
                observer.started?.(index, slot);
        },
        onSettled: outcome => {
            for (const observer of settling)
                observer.settled?.(outcome);
        }
    };
}
/** Waits for every observer to finish what it has under way. */
async function finishAll(observers) {
    await Promise.all(observers.map(observer => observer.finished?.()));
}

;// CONCATENATED MODULE: ./src/run/run-items.ts











/**
 * Runs every prepared item and returns the report; never throws for a task's failure.
 * `observers` see each task start and end (while others go on); the report waits for them.
 */
async function runItems(settings, plan, workDirectory, cancellation, observers = []) {
    const { prepared } = plan;
    const total = prepared.length;
    const workers = Math.min(settings.maxWorkers, total);
    // A percentage is of all the items, also under `shard` (GNU parallel's fail=N% of all jobs).
    const maxFailures = failureLimit(settings.failFast, plan.shard?.itemCount ?? total);
    info(runningLine(settings, plan, workers, maxFailures));
    const stdout = streamSink(process.stdout);
    const resources = new RunResources(settings, plan, workDirectory, workers, cancellation, stdout);
    const firstFailure = new FirstFailure();
    const watching = [resources.progress, firstFailure, resources.jobLog, ...observers];
    watching.push(...lineWriters(plan));
    let result;
    try {
        result = await runTasks(prepared, commandTask(resources.taskOptions(settings)), {
            concurrency: workers,
            policies: haltPolicies(settings, maxFailures, cancellation),
            needs: plan.needs,
            priorities: plan.priorities,
            ...notifyAll(watching)
        });
        await finishAll(watching);
        await resources.finishLog();
    }
    finally {
        await resources.close();
    }
    // Whatever the tasks' statuses: a later step with `if: always()` sees what each one wrote.
    resources.applyStepFiles();
    const records = result.outcomes.map(outcome => outcome.value ?? recordOf(outcome, prepared));
    const counts = countStatuses(records);
    const durationMs = Date.now() - resources.progress.startedAt;
    info(doneLine(durationMs, counts));
    return {
        records,
        counts,
        durationMs,
        workers,
        shell: settings.shell,
        haltReason: describeHalt(result.halt, maxFailures, firstFailure.outcome, prepared),
        haltKind: result.halt?.kind ?? null
    };
}
/** What prints a line as tasks start and end: skipped tasks, and debug lines when asked for. */
function lineWriters(plan) {
    const { prepared } = plan;
    const skipped = new SkippedLines(prepared, plan.shard?.itemCount ?? prepared.length);
    return isDebug() ? [skipped, new DebugLines(prepared)] : [skipped];
}
/** The line that opens a run: how many tasks, on how many workers, with which limits. */
function runningLine(settings, plan, workers, maxFailures) {
    const total = plan.prepared.length;
    return (`Running ${total} ${plan.needs ? 'tasks' : total === 1 ? 'item' : 'items'} on ${workers} ` +
        `${workers === 1 ? 'worker' : 'workers'} with ${settings.shell} (${describeLimits(settings, maxFailures)}).`);
}
/** The line that closes a run: how long it took and how the tasks ended. */
function doneLine(durationMs, counts) {
    return (`Done in ${formatDuration(durationMs)}: ${counts.succeeded} succeeded, ${counts.failed} failed, ` +
        `${counts.timedOut} timed out, ${counts.cancelled} cancelled, ${counts.skipped} skipped.`);
}

;// CONCATENATED MODULE: ./src/run/run-step.ts













/** Runs the step in the mode its settings say, and returns what to report. */
async function runStep(settings, workDirectory, cancellation) {
    const previousTimings = await loadTimings(settings.timingsPath);
    const context = { workDirectory, previousTimings, cancellation, observers: [] };
    const { mode } = settings;
    switch (mode.kind) {
        case 'merge': {
            const directory = settings.execution.workingDirectory;
            const report = await mergeResultsFiles(mode.pattern, directory, Inputs.MergeResults);
            info(describeMerge(report));
            return { report, jobLog: undefined, previousTimings, noItems: undefined };
        }
        case 'review-threads':
            return runReviewThreads(settings, mode, context);
        case 'tasks':
            return runPlanned(settings, mode, "'tasks' gave none", context);
        case 'items':
            return runPlanned(settings, mode, "'items' and 'items-file' gave none", context);
    }
}
/** Lists the pull request's review threads and runs the command once per thread. */
async function runReviewThreads(settings, mode, context) {
    const threads = await loadReviewThreads(mode.threads, context.cancellation);
    const source = {
        kind: 'items',
        items: threads.threads.map(threadItem),
        source: mode.source,
        command: mode.command
    };
    const { owner, repo, number } = threads.pullRequest;
    const noItemsReason = `${owner}/${repo}#${number} has no unresolved review threads that match`;
    const resolve = threadResolver(threads, mode.threads);
    if (resolve !== undefined)
        context.observers.push(new AfterEachTask(resolve));
    return runPlanned(settings, source, noItemsReason, context);
}
/** Prepares the tasks, takes this job's shard, orders them by timings and runs them (or not, on a dry run). */
async function runPlanned(settings, source, noItemsReason, context) {
    const { execution } = settings;
    let plan = prepareRun(source, execution, context.workDirectory);
    const noItems = plan.prepared.length === 0 ? `No items to run: ${noItemsReason}.` : undefined;
    if (settings.shard !== undefined) {
        const sharded = takeShard(plan, settings.shard, context.previousTimings);
        info(describeShard(sharded.shard, sharded.prepared.length));
        plan = sharded;
    }
    scheduleByTimings(plan, context.previousTimings);
    let report;
    if (plan.prepared.length === 0)
        report = emptyReport(execution.shell);
    else if (settings.dryRun)
        report = dryRun(plan, execution.maxWorkers, execution.shell);
    else {
        report = await runItems(execution, plan, context.workDirectory, context.cancellation, context.observers);
    }
    if (plan.shard !== undefined)
        report.shard = plan.shard;
    const ran = report.records.length > 0 && !settings.dryRun;
    const jobLog = ran ? (0,external_node_path_namespaceObject.join)(context.workDirectory, JOB_LOG_FILE) : undefined;
    return { report, jobLog, previousTimings: context.previousTimings, noItems };
}

;// CONCATENATED MODULE: ./src/main.ts








/** The action's entry point: reads the inputs, runs the step, reports. */
async function run() {
    const stop = listenForStop();
    const files = new RunnerFileProblems();
    let outputsSet = false;
    try {
        const settings = await getInputs();
        // One directory per run for the results, the job log, spilled output and the tasks' own files.
        const workDirectory = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_namespaceObject.join)(process.env.RUNNER_TEMP || (0,external_node_os_namespaceObject.tmpdir)(), 'parallel-exec-'));
        const outcome = await runStep(settings, workDirectory, stop.signal);
        await publishOutputs(outcome, workDirectory, files);
        outputsSet = true;
        await concludeStep(outcome, settings, files);
    }
    catch (error) {
        // Every path sets the outputs, so a later step's `failed-items != '[]'` sees a list.
        if (!outputsSet)
            await publishEmptyOutputs(files);
        setFailed(error instanceof Error ? error.message : String(error));
    }
    finally {
        files.failStep();
        stop.dispose();
    }
}
/** Turns the runner's SIGINT and SIGTERM into a cancellation of the run. */
function listenForStop() {
    const cancellation = new AbortController();
    const onSignal = (signal) => {
        if (cancellation.signal.aborted)
            return;
        info(`Received ${signal}: stopping every running task.`);
        cancellation.abort(new Halt(HaltKind.Cancelled, `the runner sent ${signal}`));
    };
    // Without handlers Node dies at once on SIGINT/SIGTERM and orphans every task.
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const dispose = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    };
    return { signal: cancellation.signal, dispose };
}

;// CONCATENATED MODULE: ./src/index.ts



// Not `await run()`: a top-level await makes the bundler wrap all the code in an async module
// function, which V8 parses a second time when it is called (~10 ms of every start-up). `run`
// catches its own errors; failIfUnsettled keeps what the await also gave, a failed step should
// the process end while `run` still waits (said on stdout even while tasks' output is routed).
failIfUnsettled(run(), failNow);

