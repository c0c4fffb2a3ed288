/**
 * Importing knowledge entries from files: {@link dev.tgsupport.knowledge.io.KnowledgeImport} parses CSV, JSON and
 * Markdown question–answer files into {@link dev.tgsupport.knowledge.io.ImportRow}s (bad rows become
 * {@link dev.tgsupport.knowledge.io.ImportProblem}s with their line numbers) and applies them to a
 * {@link dev.tgsupport.core.knowledge.KnowledgeBase} idempotently: importing the same file twice changes nothing the
 * second time.
 */
package dev.tgsupport.knowledge.io;
