/**
 * The fast-check types the testing API returns, under their own names. They
 * are fast-check's public types; the `@internal` tags only tell
 * `deno doc --lint` not to ask for their documentation here (it treats types
 * from another package as private: denoland/deno#27364).
 *
 * @module
 */

import type fc from "npm:fast-check@4.11.0";

/**
 * fast-check's `Arbitrary<T>`: use it with `fc.assert`, `fc.property`,
 * `.map`, `.chain`, `fc.sample`.
 *
 * @internal
 */
export type Arbitrary<T> = fc.Arbitrary<T>;

/**
 * fast-check's `IPropertyWithHooks<Ts>`: what `fc.property` returns.
 *
 * @internal
 */
export type Property<Ts extends [unknown, ...unknown[]]> = fc.IPropertyWithHooks<Ts>;

/**
 * fast-check's `IAsyncPropertyWithHooks<Ts>`: what `fc.asyncProperty` returns.
 *
 * @internal
 */
export type AsyncProperty<Ts extends [unknown, ...unknown[]]> = fc.IAsyncPropertyWithHooks<Ts>;
