/** Learning-rate schedules (constant, step, exponential, cosine) and linear warm-up. */
package io.sparkbackprop.nn.optim.schedule;
