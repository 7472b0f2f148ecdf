// The consumer's entry point (filled in below the composition root).
import 'reflect-metadata';
