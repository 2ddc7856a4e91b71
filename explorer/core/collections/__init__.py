"""Collections of saved requests: folders of request files, `{{name}}` variables, captures and runs."""
