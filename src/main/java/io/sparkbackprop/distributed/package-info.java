/**
 * The distributed trainer: turns a Dataset into cached blocks once, then runs the synchronous
 * broadcast / treeAggregate / optimizer-step loop. The only package that touches RDDs.
 */
package io.sparkbackprop.distributed;
