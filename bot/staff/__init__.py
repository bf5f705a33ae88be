"""Staff rules: the shared-folder naming rules (file-name checker, folder finder) and their answers."""
