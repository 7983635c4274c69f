"""gongkai: checks 政府信息公开工作年度报告 against the 2021 national format and grades them.

Data flows one way: read (bytes -> Layout) -> extract (Layout -> report document + source map)
-> check (rules -> outcomes) -> grade (outcomes + profile -> score) -> render.
The public API for rule authors is `gongkai.api`; everything else may change.
"""

__version__ = "0.1.0"
