"""Loaders turn knowledge files into entries: FAQ tables, Markdown guides, plan documents."""
from __future__ import annotations

from pathlib import Path

from indexing.loaders.errors import KnowledgeFileError, LoadedFile, RowProblem
from indexing.loaders.faq_table import load_faq_csv, load_faq_xlsx
from indexing.loaders.markdown_guides import load_markdown_guide
from indexing.loaders.plan_documents import load_plan_pdf, load_plan_text
from indexing.loaders.source_metadata import SourceMetadata

KNOWLEDGE_SUFFIXES = {".csv", ".xlsx", ".md", ".txt", ".pdf"}

_LOADERS = {
    ".csv": load_faq_csv,
    ".xlsx": load_faq_xlsx,
    ".md": load_markdown_guide,
    ".txt": load_plan_text,
    ".pdf": load_plan_pdf,
}


def load_knowledge_file(path: Path, metadata: SourceMetadata) -> LoadedFile:
    """Entries of one knowledge file; raises KnowledgeFileError with a line number on bad input."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise KnowledgeFileError(path, None, f"unsupported file type {path.suffix!r} "
                                             f"(use {', '.join(sorted(KNOWLEDGE_SUFFIXES))})")
    loaded = loader(path, metadata)
    return loaded if isinstance(loaded, LoadedFile) else LoadedFile(list(loaded))


__all__ = ["KNOWLEDGE_SUFFIXES", "KnowledgeFileError", "LoadedFile", "RowProblem", "SourceMetadata", "load_knowledge_file"]
