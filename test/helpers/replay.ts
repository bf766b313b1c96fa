/**
 * Typed access to the golden-vector replay that every runtime runs (test/runtimes/conformance.mjs),
 * so the unit tests and the runtime matrix replay vectors through one piece of code.
 */
import * as conformance from '../runtimes/conformance.mjs';
import type * as lib from '../../src/index';
import type { GoldenVector } from './golden';

type Lib = typeof lib;

/** Replays one builder vector through the public API of `L`; throws whatever the library throws. */
export const replay = conformance.replay as (L: Lib, v: GoldenVector) => string;
/** Builds a service object from a vector's service description. */
export const serviceOf = conformance.serviceOf as (L: Lib, s: unknown) => InstanceType<Lib['Service']>;
/** Builds RTM2 permissions from a vector's list of `add` calls (or null). */
export const permissionsOf = conformance.permissionsOf as (L: Lib, list: unknown) => InstanceType<Lib['Rtm2Permissions']> | null;
/** Kinds that are builder calls (everything but decode/invalid vectors). */
export const isBuilderVector = conformance.isBuilderVector as (v: GoldenVector) => boolean;
