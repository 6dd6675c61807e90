/**
 * Input-gradient attributions: how much each input feature (of a row, or of every step of a
 * sequence) contributes to one output of a fitted network, computed a block at a time through the
 * network's own backward pass. Gradients reach the user's raw features, through the input
 * standardisation the network carries. Methods: saliency (Simonyan, Vedaldi and Zisserman 2014),
 * gradient times input (Shrikumar et al. 2016), integrated gradients (Sundararajan, Taly and Yan
 * 2017) and SmoothGrad (Smilkov et al. 2017).
 */
package io.sparkbackprop.nn.explain;
