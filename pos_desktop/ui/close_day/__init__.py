"""The close of the day in the window (issue 7): the shift, the blind count, the X and Z reports
(``screen.CloseDayScreen``); ``menu`` puts it and the reports screen (``ui/reports/``) in the "Day" menu."""
