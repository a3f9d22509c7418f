package dev.tempera.sampling;

/** A token with its log-probability (natural log). */
public record TokenLogprob(int token, double logprob) {}
