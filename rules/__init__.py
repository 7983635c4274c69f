"""gongkai's built-in rules. Each module is a plugin registered in the `gongkai.rules` entry-point
group, exactly as a third-party plugin is."""
