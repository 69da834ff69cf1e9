// violation: a folder with no platc_stage line
