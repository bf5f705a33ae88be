"""Staff rules: the shared-folder naming rules as data, and the exact answers they give.

    rules         the rule types and the parser of knowledge/rules/shared-folder.toml
    characters    step 1 of the check: character repair, and the findings every step records
    file_names    the file-name checker (verdict, broken rules, a corrected name)
    folders       the folder finder (where a kind of document is saved)
    chat          the file name in a chat message; the replies the bot sends
    guide         the staff guide rendered from the rules
    naming_rules  the command line over the above (python -m bot.staff.naming_rules)
    staff_rules   the bot's desk for staff rule questions (an Answer citing the guide)
"""
