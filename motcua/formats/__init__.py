"""Date and number formats of the pages and emails (settings.FORMAT_MODULE_PATH): dates read
dd/mm/yyyy in both languages, as Vietnamese documents write them."""
